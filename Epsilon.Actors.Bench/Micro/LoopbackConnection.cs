using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Epsilon.Actors.Io;
using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Bench.Micro;

/// <summary>
/// One real loopback TCP connection through Epsilon's TCP manager, for the actor-level
/// benchmarks: an actor system on one event loop of the chosen backend, a listener, a plain
/// <see cref="Socket"/> as the peer, and a handler actor that counts what it is told in
/// <see cref="Counters"/>. The handler also performs write bursts on request
/// (<see cref="WriteBurst"/>), so writes come from a handler as in real use.
/// </summary>
internal sealed class LoopbackConnection : IDisposable
{
    /// <summary>The payload of every message: 64 bytes.</summary>
    public const int MessageSize = 64;

    private LoopbackConnection(ActorSystem system, Socket peer, IActorRef handler, HandlerCounters counters)
    {
        System = system;
        Peer = peer;
        Handler = handler;
        Counters = counters;
    }

    /// <summary>The actor system (epsilon.io with one event loop).</summary>
    public ActorSystem System { get; }

    /// <summary>The plain socket on the other end (TCP_NODELAY, blocking).</summary>
    public Socket Peer { get; }

    /// <summary>The registered handler of the Epsilon side.</summary>
    public IActorRef Handler { get; }

    /// <summary>What the handler has seen.</summary>
    public HandlerCounters Counters { get; }

    /// <summary>Starts the system, binds, connects the peer and waits until the handler is registered.</summary>
    public static LoopbackConnection Open(string backend)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.log-dead-letters = off
            epsilon.io {
              backend = {{backend}}
              event-loops = 1
            }
            """);
        var system = ActorSystem.Create("micro-" + backend, config);
        try
        {
            var counters = new HandlerCounters();
            var ready = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
            var bound = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new ServerActor(counters, bound, ready)), "server");
            var endPoint = Wait(bound.Task, "Bound");

            var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            peer.Connect(endPoint);
            var handler = Wait(ready.Task, "Connected + Register");
            var connection = new LoopbackConnection(system, peer, handler, counters);

            // The handler hears one message before anything is timed.
            connection.SendFromPeer(new byte[MessageSize]);
            counters.WaitForBytes(MessageSize);
            return connection;
        }
        catch
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
    }

    /// <summary>Sends <paramref name="data"/> whole from the peer (blocking).</summary>
    public void SendFromPeer(byte[] data)
    {
        var sent = 0;
        while (sent < data.Length) sent += Peer.Send(data, sent, data.Length - sent, SocketFlags.None);
    }

    /// <summary>Closes the peer and terminates the system.</summary>
    public void Dispose()
    {
        Peer.Dispose();
        System.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private static T Wait<T>(Task<T> task, string what) =>
        task.Wait(TimeSpan.FromSeconds(10)) ? task.Result : throw new TimeoutException($"no {what} within 10 s");

    /// <summary>Asks the handler to send <see cref="Count"/> 64-byte writes, the last one acknowledged.</summary>
    internal sealed class WriteBurst(int count)
    {
        public int Count { get; } = count;
    }

    private sealed class ServerActor : UntypedActor
    {
        private readonly HandlerCounters _counters;
        private readonly TaskCompletionSource<IPEndPoint> _bound;
        private readonly TaskCompletionSource<IActorRef> _ready;

        public ServerActor(HandlerCounters counters, TaskCompletionSource<IPEndPoint> bound, TaskCompletionSource<IActorRef> ready)
        {
            _counters = counters;
            _bound = bound;
            _ready = ready;
        }

        protected override void PreStart() =>
            Context.System.EpsilonTcp().Tell(new AkkaTcp.Bind(Self, new IPEndPoint(IPAddress.Loopback, 0)));

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case AkkaTcp.Bound b:
                    _bound.TrySetResult((IPEndPoint)b.LocalAddress);
                    break;
                case AkkaTcp.Connected:
                    var connection = Sender;
                    var handler = Context.ActorOf(Props.Create(() => new HandlerActor(_counters, connection)), "handler");
                    connection.Tell(new AkkaTcp.Register(handler), Self);
                    _ready.TrySetResult(handler);
                    break;
                case AkkaTcp.CommandFailed failed:
                    _bound.TrySetException(new InvalidOperationException($"bind failed: {failed}"));
                    break;
            }
        }
    }

    private sealed class HandlerActor : UntypedActor
    {
        private static readonly AkkaTcp.Write s_write = AkkaTcp.Write.Create(ByteString.FromBytes(new byte[MessageSize]));
        private static readonly AkkaTcp.Write s_ackedWrite = AkkaTcp.Write.Create(ByteString.FromBytes(new byte[MessageSize]), WriteAck.Instance);

        private readonly HandlerCounters _counters;
        private readonly IActorRef _connection;

        public HandlerActor(HandlerCounters counters, IActorRef connection)
        {
            _counters = counters;
            _connection = connection;
        }

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case AkkaTcp.Received received:
                    _counters.Reads++;
                    Volatile.Write(ref _counters.Bytes, _counters.Bytes + received.Data.Count);
                    break;
                case WriteBurst burst:
                    for (var i = 1; i < burst.Count; i++) _connection.Tell(s_write, Self);
                    _connection.Tell(s_ackedWrite, Self);
                    break;
                case WriteAck:
                    Volatile.Write(ref _counters.Acks, _counters.Acks + 1);
                    break;
                case AkkaTcp.CommandFailed failed:
                    _counters.Failures++;
                    Console.Error.WriteLine($"[micro] handler: {failed}");
                    break;
            }
        }
    }

    private sealed class WriteAck : AkkaTcp.Event
    {
        public static readonly WriteAck Instance = new();
    }
}
