using System.Reflection;

namespace Federation.Unit.Tests.Jobs;

/// <summary>One call a test made on a grain: which interface, which key, which method, which arguments.</summary>
public sealed record GrainCall(Type Interface, string Key, string Method, IReadOnlyList<object?> Arguments);

/// <summary>
/// A grain factory for unit tests: every grain it hands out records its calls and answers with the
/// task registered for the method's return type. No silo runs.
/// </summary>
public sealed class RecordingGrains
{
    private readonly Dictionary<Type, object> _answers = [];

    public RecordingGrains()
    {
        var factory = DispatchProxy.Create<IGrainFactory, FactoryProxy>();
        ((FactoryProxy)(object)factory).Owner = this;
        Factory = factory;
    }

    /// <summary>The factory to hand to the code under test.</summary>
    public IGrainFactory Factory { get; }

    /// <summary>The grain calls made so far, in order.</summary>
    public List<GrainCall> Calls { get; } = [];

    /// <summary>Grain methods returning <c>Task&lt;T&gt;</c> answer <paramref name="answer"/>.</summary>
    public RecordingGrains Answer<T>(T answer)
    {
        _answers[typeof(Task<T>)] = Task.FromResult(answer);
        return this;
    }

    private object Grain(Type grainInterface, string key)
    {
        var grain = DispatchProxy.Create(grainInterface, typeof(GrainProxy));
        var proxy = (GrainProxy)grain;
        (proxy.Owner, proxy.Interface, proxy.Key) = (this, grainInterface, key);
        return grain;
    }

    private object Invoked(GrainCall call, Type returnType)
    {
        Calls.Add(call);
        return _answers.TryGetValue(returnType, out var answer)
            ? answer
            : throw new InvalidOperationException($"{call.Interface.Name}.{call.Method} returns {returnType.Name}; the test registered no answer of that type");
    }

    /// <summary>The factory's proxy: <c>GetGrain&lt;T&gt;(string key)</c> only.</summary>
    public class FactoryProxy : DispatchProxy
    {
        internal RecordingGrains Owner { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && args is [string key, ..]
                ? Owner.Grain(targetMethod.GetGenericArguments()[0], key)
                : throw new NotSupportedException($"RecordingGrains supports GetGrain<T>(string key) only, not {targetMethod?.Name}");
    }

    /// <summary>A grain's proxy: records the call, returns the registered answer.</summary>
    public class GrainProxy : DispatchProxy
    {
        internal RecordingGrains Owner { get; set; } = null!;

        internal Type Interface { get; set; } = null!;

        internal string Key { get; set; } = "";

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            Owner.Invoked(new GrainCall(Interface, Key, targetMethod!.Name, args ?? []), targetMethod.ReturnType);
    }
}
