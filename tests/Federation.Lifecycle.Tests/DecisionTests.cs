namespace Federation.Lifecycle.Tests;

public sealed class DecisionTests
{
    [Fact]
    public void A_decision_is_accepted_only_without_a_rejection()
    {
        var accepted = new Decision<int, string>(1, [], ["changed"]);
        var rejected = new Decision<int, string>(0, [], [], new Rejection("stale-epoch", "epoch 1 is behind epoch 2"));

        Assert.True(accepted.Accepted);
        Assert.False(rejected.Accepted);
        Assert.Equal("stale-epoch", rejected.Rejected!.Rule);
    }
}
