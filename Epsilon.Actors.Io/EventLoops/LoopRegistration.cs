namespace Epsilon.Actors.Io.EventLoops;

/// <summary>
/// A socket registered with one <see cref="EventLoop"/>, with the one-shot interest state of each
/// direction. Readiness that arrives while a direction is not armed is remembered and delivered
/// by the next <see cref="EventLoop.Arm"/>, so edge-triggered backends never lose an edge.
/// </summary>
internal sealed class LoopRegistration
{
    // Per direction: Idle (nothing asked, nothing seen), Armed (asked, waiting), Ready (seen, not asked yet).
    private const int Idle = 0;
    private const int Armed = 1;
    private const int Ready = 2;

    private int _read;
    private int _write;

    internal LoopRegistration(EventLoop loop, LoopSocket socket, IReadinessListener listener, ulong token)
    {
        Loop = loop;
        Socket = socket;
        Listener = listener;
        Token = token;
    }

    /// <summary>The loop the socket is registered with.</summary>
    public EventLoop Loop { get; }

    /// <summary>The registered socket.</summary>
    public LoopSocket Socket { get; }

    /// <summary>Who is told of readiness.</summary>
    public IReadinessListener Listener { get; }

    /// <summary>The token the poller reports for this socket.</summary>
    public ulong Token { get; }

    /// <summary>The reusable task that re-delivers read readiness after a yield (made on first yield).</summary>
    internal EventLoop.YieldTask? ReadYield;

    /// <summary>Set once the socket has been removed from its poller.</summary>
    internal volatile bool Unregistered;

    /// <summary>
    /// Records interest; returns the directions that were already ready (the caller delivers those)
    /// and the directions the poller must now be asked for.
    /// </summary>
    internal (IoReadiness ReadyNow, IoReadiness ToArm) Arm(IoReadiness interest)
    {
        var readyNow = IoReadiness.None;
        var toArm = IoReadiness.None;
        if ((interest & IoReadiness.Read) != 0)
        {
            switch (ArmOne(ref _read))
            {
                case ArmOutcome.ReadyNow: readyNow |= IoReadiness.Read; break;
                case ArmOutcome.Armed: toArm |= IoReadiness.Read; break;
            }
        }

        if ((interest & IoReadiness.Write) != 0)
        {
            switch (ArmOne(ref _write))
            {
                case ArmOutcome.ReadyNow: readyNow |= IoReadiness.Write; break;
                case ArmOutcome.Armed: toArm |= IoReadiness.Write; break;
            }
        }

        return (readyNow, toArm);
    }

    /// <summary>
    /// True once the poller reported <see cref="IoReadiness.HangUp"/>: from then on a short read
    /// is no reason to stop reading (sticky; set on the loop thread before the reader runs).
    /// </summary>
    public bool HangUpSeen => _hangUpSeen;

    private volatile bool _hangUpSeen;

    /// <summary>Records readiness from the poller; returns the directions to deliver now.</summary>
    internal IoReadiness Signal(IoReadiness readiness)
    {
        if ((readiness & IoReadiness.HangUp) != 0) _hangUpSeen = true;
        var deliver = IoReadiness.None;
        if ((readiness & IoReadiness.Read) != 0 && SignalOne(ref _read)) deliver |= IoReadiness.Read;
        if ((readiness & IoReadiness.Write) != 0 && SignalOne(ref _write)) deliver |= IoReadiness.Write;
        return deliver;
    }

    private enum ArmOutcome
    {
        ReadyNow,
        Armed,
        AlreadyArmed,
    }

    private static ArmOutcome ArmOne(ref int state)
    {
        while (true)
        {
            var s = Volatile.Read(ref state);
            if (s == Ready)
            {
                if (Interlocked.CompareExchange(ref state, Idle, Ready) == Ready) return ArmOutcome.ReadyNow;
            }
            else if (s == Idle)
            {
                if (Interlocked.CompareExchange(ref state, Armed, Idle) == Idle) return ArmOutcome.Armed;
            }
            else
            {
                return ArmOutcome.AlreadyArmed;
            }
        }
    }

    // True: the direction was armed and is now delivered.
    private static bool SignalOne(ref int state)
    {
        while (true)
        {
            var s = Volatile.Read(ref state);
            if (s == Armed)
            {
                if (Interlocked.CompareExchange(ref state, Idle, Armed) == Armed) return true;
            }
            else if (s == Idle)
            {
                if (Interlocked.CompareExchange(ref state, Ready, Idle) == Idle) return false;
            }
            else
            {
                return false; // already remembered
            }
        }
    }
}
