using System.Collections.Immutable;
using Federation.Contracts.Ids;
using Federation.Protocol.Messages;

namespace Federation.Lifecycle;

/// <summary>A message a decider wants sent: the adapter persists it in its outbox, then sends it.</summary>
/// <param name="To">The receiving nation.</param>
/// <param name="Message">The message.</param>
public sealed record Outgoing(NationCode To, FederationMessage Message);

/// <summary>
/// Why a decider did not accept a message or a command: the rule that refused it (a stable,
/// kebab-case name such as <c>stale-epoch</c>, <c>unknown-job</c>, <c>wrong-sender</c>,
/// <c>impossible-transition</c>) and a sentence for people. A rejected input changes nothing.
/// </summary>
/// <param name="Rule">The rule's stable name.</param>
/// <param name="Message">What happened and what to do.</param>
public sealed record Rejection(string Rule, string Message);

/// <summary>
/// What a decider decided: the new state (the same instance when nothing changed), the messages to
/// send, the events to record, and the rejection when the input was refused.
/// </summary>
/// <typeparam name="TState">The decider's state.</typeparam>
/// <typeparam name="TEvent">The decider's event type.</typeparam>
/// <param name="State">The state after the step.</param>
/// <param name="Send">Messages to send, in order.</param>
/// <param name="Events">Events to record, in order.</param>
/// <param name="Rejected">Set when the input was refused; then <paramref name="State"/> is unchanged and nothing is sent.</param>
public sealed record Decision<TState, TEvent>(
    TState State,
    ImmutableArray<Outgoing> Send,
    ImmutableArray<TEvent> Events,
    Rejection? Rejected = null)
{
    /// <summary>True when the step changed the state.</summary>
    public bool Accepted => Rejected is null;
}
