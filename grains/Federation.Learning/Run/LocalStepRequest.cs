using System.Collections.Immutable;
using Federation.Learning.Protocol;

namespace Federation.Learning.Run;

/// <summary>What a contributor's edge must do: run the training workload on its own data from these global weights, then report a <see cref="LocalStepResult"/>.</summary>
public sealed record LocalStepRequest(RoundKey Session, int Round, ImmutableArray<double> GlobalWeights);
