using System.Diagnostics.CodeAnalysis;
using Federation.Contracts.Ids;
using Federation.Contracts.Results;
using Federation.Silo.Api;
using Federation.Silo.Api.Requests;

namespace Federation.Silo.Catalogue;

/// <summary>
/// The steps every catalogue write takes, in one place: id from the URL, If-Match, body, parse,
/// dry run, grain command, HTTP answer. Each endpoint supplies only what differs.
/// </summary>
public static class CatalogueRequests
{
    /// <summary>Parses an id from the URL, or gives the 400 naming the <c>id</c> field.</summary>
    public static bool TryParseId<T>(string text, out T id, [NotNullWhen(false)] out IResult? problem) where T : struct, ITypedId<T>
    {
        if (T.TryParse(text, out id, out var error))
        {
            problem = null;
            return true;
        }

        problem = Problems.Invalid("id", error);
        return false;
    }

    /// <summary>POST: body, parse, dry run or register; 201 with Location, 200 when unchanged.</summary>
    public static async Task<IResult> RegisterAsync<TBody, TSpec, TRecord>(
        HttpContext http,
        Func<TBody, ValidationErrors, Task<TSpec?>> parse,
        Func<TSpec, Task<CommandResult<TRecord>>> register,
        Func<TRecord, int> version,
        Func<TRecord, string> location)
        where TBody : class
        where TSpec : class
        where TRecord : class
    {
        var (body, problem) = await JsonBody.ReadAsync<TBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        if (await parse(body!, errors) is not { } spec)
        {
            return Problems.Invalid(errors);
        }

        return DryRun.Requested(http.Request)
            ? TypedResults.Ok(spec)
            : CommandResults.ToHttp(await register(spec), http, version, location);
    }

    /// <summary>PUT: If-Match required (428), body, parse, update with the expected version (null for <c>*</c>).</summary>
    public static async Task<IResult> UpdateAsync<TBody, TSpec, TRecord>(
        HttpContext http,
        Func<TBody, ValidationErrors, Task<TSpec?>> parse,
        Func<TSpec, int?, Task<CommandResult<TRecord>>> update,
        Func<TRecord, int> version)
        where TBody : class
        where TSpec : class
        where TRecord : class
    {
        var (expected, ifMatchProblem) = Versioning.RequireIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var (body, problem) = await JsonBody.ReadAsync<TBody>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new ValidationErrors();
        if (await parse(body!, errors) is not { } spec)
        {
            return Problems.Invalid(errors);
        }

        return CommandResults.ToHttp(await update(spec, expected), http, version);
    }

    /// <summary>POST ...:withdraw: optional If-Match, a reason of 1 to 1000 characters.</summary>
    public static async Task<IResult> WithdrawAsync<TRecord>(
        HttpContext http,
        string what,
        Func<string, int?, Task<CommandResult<TRecord>>> withdraw,
        Func<TRecord, int> version)
        where TRecord : class
    {
        var (expected, ifMatchProblem) = Versioning.OptionalIfMatch(http.Request);
        if (ifMatchProblem is not null)
        {
            return ifMatchProblem;
        }

        var (body, problem) = await JsonBody.ReadAsync<WithdrawRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }

        return body!.Reason is { Length: >= 1 and <= 1000 } reason
            ? CommandResults.ToHttp(await withdraw(reason, expected), http, version)
            : Problems.Invalid("reason", $"is required (1 to 1000 characters): why the {what} is withdrawn");
    }

    /// <summary>DELETE: optional If-Match; 204 when deleted.</summary>
    public static async Task<IResult> DeleteAsync<TRecord>(HttpContext http, Func<int?, Task<CommandResult<TRecord>>> delete, Func<TRecord, int> version)
        where TRecord : class
    {
        var (expected, ifMatchProblem) = Versioning.OptionalIfMatch(http.Request);
        return ifMatchProblem ?? CommandResults.ToHttp(await delete(expected), http, version, deleted: true);
    }
}
