namespace Federation.Routing;

/// <summary>What <see cref="Router.DecideShifted"/> concluded: where, and from when, a job should run.</summary>
/// <param name="Choice">The decision in the chosen window, as <see cref="Router.Decide"/> makes it.</param>
/// <param name="StartAt">When the job should start; the request's time when it runs now.</param>
/// <param name="WindowHours">Hours of forecast each window averaged (the estimated run time, rounded up).</param>
/// <param name="WindowsCompared">Start hours (times nations) compared.</param>
public readonly record struct ShiftedChoice(RouteChoice Choice, DateTimeOffset StartAt, int WindowHours, int WindowsCompared);
