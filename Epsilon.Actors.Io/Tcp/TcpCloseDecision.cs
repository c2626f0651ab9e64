using AkkaTcp = Akka.IO.Tcp;

namespace Epsilon.Actors.Io.Tcp;

/// <summary>One answer of <see cref="TcpCloseStateMachine{TRef}"/>: the actions to take and, with <see cref="TcpCloseActions.Notify"/>, the close event to send.</summary>
internal readonly struct TcpCloseDecision
{
    /// <summary>Nothing to do.</summary>
    public static readonly TcpCloseDecision None = default;

    /// <summary>A decision of <paramref name="actions"/> with <paramref name="event"/> (set exactly when <see cref="TcpCloseActions.Notify"/> is).</summary>
    public TcpCloseDecision(TcpCloseActions actions, AkkaTcp.ConnectionClosed? @event = null)
    {
        Actions = actions;
        Event = @event;
    }

    /// <summary>What to do.</summary>
    public TcpCloseActions Actions { get; }

    /// <summary>The close event for every recipient (<c>Closed</c>, <c>ConfirmedClosed</c>, <c>Aborted</c>, <c>PeerClosed</c> or <c>ErrorClosed</c>); null without <see cref="TcpCloseActions.Notify"/>.</summary>
    public AkkaTcp.ConnectionClosed? Event { get; }

    /// <summary>True when <paramref name="action"/> is among <see cref="Actions"/>.</summary>
    public bool Has(TcpCloseActions action) => (Actions & action) != 0;

    /// <inheritdoc />
    public override string ToString() => Event is null ? Actions.ToString() : $"{Actions} {Event}";
}
