using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Federation.Silo.Hosting;

/// <summary>
/// How every options class of the silo is bound: from its section, checked by the validator beside
/// it when the host starts, so that a bad value stops the silo with a message naming the setting.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it with
    /// <typeparamref name="TValidator"/> on start (<c>ValidateOnStart</c>). The validator is registered once.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Reads <paramref name="section"/> now, for the few settings the host needs while it is being
    /// composed (ports, mode, listeners), checked by the same validator that runs on start.
    /// </summary>
    /// <exception cref="OptionsValidationException">A value breaks a rule; each failure names its setting.</exception>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section, IValidateOptions<TOptions> validator)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(validator);
        var options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        var result = validator.Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(section, typeof(TOptions), result.Failures);
        }

        return options;
    }
}
