using Federation.Contracts.Grains;
using Federation.Contracts.Ids;

namespace Federation.Unit.Tests.Jobs;

/// <summary>An execution grain's key names its job and epoch, and reads back; anything else is refused.</summary>
public sealed class ExecutionKeyTests
{
    [Theory]
    [InlineData("DE/train-1", 1)]
    [InlineData("SE/scan-2", 12)]
    public void KeyOf_ParsesBack(string job, int epoch)
    {
        var key = IExecutionGrain.KeyOf(TypedId.Parse<JobRef>(job), epoch);

        Assert.Equal((TypedId.Parse<JobRef>(job), epoch), IExecutionGrain.ParseKey(key));
    }

    [Theory]
    [InlineData("job-DE/train-1")]
    [InlineData("exec-DE/train-1/")]
    [InlineData("exec-DE/train-1/x")]
    [InlineData("exec-DE/train-1/-1")]
    [InlineData("exec-/1")]
    public void NotAnExecutionKey_Refused(string key) =>
        Assert.ThrowsAny<FormatException>(() => IExecutionGrain.ParseKey(key));
}
