using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using AkkaUdp = Akka.IO.Udp;

namespace Epsilon.Actors.Io.Udp;

/// <summary>
/// The stage behind <see cref="EpsilonUdpStream.Bind"/>: a stage actor binds a UDP socket through
/// the manager and speaks Akka.IO's <c>Udp.*</c> with it. Received datagrams go downstream
/// (buffered up to <see cref="HighWaterMark"/>, then reading is suspended until downstream has
/// taken them); upstream datagrams are sent one at a time, the next pulled on the previous one's ack.
/// </summary>
internal sealed class UdpBindStage : GraphStageWithMaterializedValue<FlowShape<Datagram, Datagram>, Task<EndPoint>>
{
    /// <summary>Datagrams buffered for a slow downstream before reading is suspended.</summary>
    internal const int HighWaterMark = 16;

    private readonly IActorRef _manager;
    private readonly EndPoint _localEndPoint;
    private readonly IEnumerable<Inet.SocketOption>? _options;

    /// <summary>Creates the stage over <paramref name="manager"/> (Epsilon's UDP manager).</summary>
    public UdpBindStage(IActorRef manager, EndPoint localEndPoint, IEnumerable<Inet.SocketOption>? options)
    {
        _manager = manager;
        _localEndPoint = localEndPoint;
        _options = options;
        Shape = new FlowShape<Datagram, Datagram>(In, Out);
    }

    private Inlet<Datagram> In { get; } = new("UdpBindStage.in");

    private Outlet<Datagram> Out { get; } = new("UdpBindStage.out");

    /// <inheritdoc />
    public override FlowShape<Datagram, Datagram> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("udpBind");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<Task<EndPoint>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<EndPoint>>(new Logic(this, bound), bound.Task);
    }

    private sealed class Logic : GraphStageLogic
    {
        private readonly UdpBindStage _stage;
        private readonly TaskCompletionSource<EndPoint> _bound;
        private readonly Queue<Datagram> _buffer = new();
        private StageActor? _self;
        private IActorRef? _socket;
        private bool _suspended;
        private bool _sending;

        public Logic(UdpBindStage stage, TaskCompletionSource<EndPoint> bound)
            : base(stage.Shape)
        {
            _stage = stage;
            _bound = bound;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: OnUpstreamFinish);
            SetHandler(stage.Out, onPull: OnPull);
        }

        public override void PreStart()
        {
            _self = GetStageActor(OnMessage);
            _stage._manager.Tell(new AkkaUdp.Bind(_self.Ref, _stage._localEndPoint, _stage._options), _self.Ref);
        }

        public override void PostStop()
        {
            _socket?.Tell(AkkaUdp.Unbind.Instance, ActorRefs.NoSender);
            _bound.TrySetException(new StreamDetachedException("the UDP stage stopped before it was bound"));
        }

        private void OnMessage((IActorRef Sender, object Message) args)
        {
            switch (args.Message)
            {
                case AkkaUdp.Received received:
                    var datagram = new Datagram(received.Data, received.Sender);
                    if (IsAvailable(_stage.Out) && _buffer.Count == 0)
                    {
                        Push(_stage.Out, datagram);
                        return;
                    }

                    _buffer.Enqueue(datagram);
                    if (!_suspended && _buffer.Count >= HighWaterMark)
                    {
                        _suspended = true;
                        _socket!.Tell(AkkaUdp.SuspendReading.Instance, _self!.Ref);
                    }

                    break;
                case SendAck:
                    _sending = false;
                    AfterSend();
                    break;
                case AkkaUdp.Bound bound:
                    _socket = args.Sender;
                    _self!.Watch(_socket);
                    _bound.TrySetResult(bound.LocalAddress);
                    if (!HasBeenPulled(_stage.In) && !IsClosed(_stage.In)) Pull(_stage.In);
                    break;
                case AkkaUdp.CommandFailed { Cmd: AkkaUdp.Send send }:
                    Log.Warning("UDP datagram of {0} bytes to {1} was refused by the kernel and skipped", send.Payload.Count, send.Target);
                    _sending = false;
                    AfterSend();
                    break;
                case AkkaUdp.CommandFailed failed:
                    var error = new IOException($"UDP bind to {_stage._localEndPoint} failed ({failed.Cmd})");
                    _bound.TrySetException(error);
                    FailStage(error);
                    break;
                case Terminated:
                    _socket = null;
                    FailStage(new IOException($"the UDP socket on {_stage._localEndPoint} stopped"));
                    break;
            }
        }

        private void OnPush()
        {
            var datagram = Grab(_stage.In);
            _sending = true;
            _socket!.Tell(new AkkaUdp.Send(datagram.Data, datagram.Remote, SendAck.Instance), _self!.Ref);
        }

        private void AfterSend()
        {
            if (IsClosed(_stage.In)) CompleteStage();
            else Pull(_stage.In);
        }

        private void OnUpstreamFinish()
        {
            if (!_sending) CompleteStage();
        }

        private void OnPull()
        {
            if (_buffer.TryDequeue(out var datagram)) Push(_stage.Out, datagram);
            if (_suspended && _buffer.Count == 0)
            {
                _suspended = false;
                _socket?.Tell(AkkaUdp.ResumeReading.Instance, _self!.Ref);
            }
        }
    }

    /// <summary>The ack the stage asks for on each send.</summary>
    private sealed class SendAck : AkkaUdp.Event
    {
        public static readonly SendAck Instance = new();
    }
}
