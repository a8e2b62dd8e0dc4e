namespace Federation.Contracts.Jobs;

/// <summary>When a federated job stops training.</summary>
public enum StoppingRule
{
    /// <summary>After the stated number of rounds.</summary>
    Rounds = 0,

    /// <summary>When the validation loss changes by less than a threshold from one round to the next (the rounds are the cap).</summary>
    ValidationLoss = 1,
}
