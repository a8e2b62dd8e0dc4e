using System.Text.Json.Nodes;
using CsCheck;

namespace Federation.Fuzz.Tests;

/// <summary>
/// Generators of whole requests to one nation (<c>target</c>), sent by a user or by the peer
/// <c>caller</c>: an operation of the committed OpenAPI documents, its path parameters (pool ids most
/// of the time, wrong ids otherwise), query parameters, content type and a body (a valid template or a
/// schema-generated value), mutated most of the time.
/// </summary>
public sealed class RequestGenerators
{
    private const int Pool = 12;

    private static readonly string[] s_badIds =
    [
        "0123456789abcdef0123456789abcdef", "deadbeef", new string('a', 300), Uri.EscapeDataString("dätä-ü"), Uri.EscapeDataString("💥"),
        "..", "%2e%2e", "a%00b", "%1b%5b31m", "UPPER", "-x-", "%20", "a%2Fb", "x.y", "%FF%FE", "1e309",
    ];

    private readonly string _target;
    private readonly string _caller;
    private readonly OpenApiGenerators _user;
    private readonly OpenApiGenerators _federation;

    public RequestGenerators(string target, string caller, OpenApiGenerators user, OpenApiGenerators federation)
    {
        _target = target;
        _caller = caller;
        _user = user;
        _federation = federation;
        Request = Gen.Frequency<FuzzRequest>((7, ForApi(FuzzApi.User, _user)), (3, ForApi(FuzzApi.Federation, _federation)));
    }

    /// <summary>A request to the target nation: user API 7 times in 10, federation API 3 times.</summary>
    public Gen<FuzzRequest> Request { get; }

    private Gen<FuzzRequest> ForApi(FuzzApi api, OpenApiGenerators document)
    {
        var operations = document.Operations()
            .Select(op => (op.Path.Contains("read-model:rebuild", StringComparison.Ordinal) || op.Path.EndsWith("/nation", StringComparison.Ordinal) ? 1 : 10, (IGen<FuzzRequest>)ForOperation(api, document, op)))
            .ToArray();
        return Gen.Frequency(operations);
    }

    private Gen<FuzzRequest> ForOperation(FuzzApi api, OpenApiGenerators document, OpenApiGenerators.Operation op)
    {
        var segments = op.Path.Split('/');
        var parameters = segments.Select((s, i) => s.StartsWith('{') ? PathParameter(op.Path, s.Trim('{', '}'), i) : Gen.Const(s)).ToList();
        var path = parameters.Aggregate(Gen.Const(new List<string>()), (acc, g) => acc.SelectMany(list => g.Select(s => new List<string>(list) { s })))
            .Select(parts => string.Join('/', parts));
        var query = Query(op.QueryParameters);
        var body = op.BodySchema is { } schema
            ? Body(document, schema)
            : Gen.Frequency<string?>((30, Gen.Const((string?)null)), (1, Gen.OneOf<string?>("{}", "garbage", "[1,2]")));
        var contentType = Gen.Frequency<string?>(
            (85, Gen.Const<string?>("application/json")),
            (3, Gen.Const<string?>("text/plain")),
            (3, Gen.Const<string?>("application/xml")),
            (3, Gen.Const((string?)null)),
            (2, Gen.Const<string?>("application/json; charset=utf-16")),
            (2, Gen.Const<string?>("application/x-www-form-urlencoded")),
            (2, Gen.Const<string?>("application/problem+json")));

        return Gen.Select(path, query, body, contentType, (p, q, b, ct) =>
        {
            var pathAndQuery = p + q;
            return new FuzzRequest(api, op.Method, pathAndQuery, b is null ? null : ct, b, api == FuzzApi.User ? Entity(op, p, q, b) : null);
        });
    }

    private Gen<string> PathParameter(string template, string name, int index)
    {
        var valid = (template, name) switch
        {
            (_, "origin") => Gen.OneOf(_target, _caller, "XX"),
            (_, "epoch") => Gen.OneOf("1", "2", "0", "-1", "x", "99999999999"),
            (_, "stream") => Gen.OneOf("stdout", "stderr", "other"),
            (_, "name") when template.Contains("/models/", StringComparison.Ordinal) => Gen.Int[0, Pool].Select(i => $"fz-model-{i}"),
            (_, "name") => Gen.OneOf("out.txt", "metrics.json", "..%2f..%2fetc%2fpasswd"),
            (_, "version") => Gen.OneOf("1.0", "2.0"),
            _ when template.Contains("/datasets", StringComparison.Ordinal) => Gen.Int[0, Pool].Select(i => $"fz-ds-{i}"),
            _ when template.Contains("/nodes", StringComparison.Ordinal) => Gen.Int[0, Pool].Select(i => $"fz-node-{i}"),
            _ => Gen.Int[0, Pool].Select(i => $"fz-job-{i}"),
        };
        _ = index;
        return Gen.Frequency<string>((4, valid), (1, Gen.OneOf(s_badIds)));
    }

    private static Gen<string> Query(IReadOnlyList<string> names)
    {
        var parameters = names.Select(name =>
        {
            var valid = name switch
            {
                "limit" => Gen.OneOf("1", "10", "100", "0", "-1", "abc", "99999999999", "1.5"),
                "includeWithdrawn" or "dryRun" => Gen.OneOf("true", "false", "maybe", "1"),
                "tail" => Gen.OneOf("10", "0", "-1", "x", "100000000"),
                "state" => Gen.OneOf("queued", "running", "bogus", "up", "Succeeded"),
                "after" => Gen.OneOf("fz-ds-3", "zzz", "%00", "%E2%80%AE"),
                _ => Gen.OneOf("health", "h100-sxm", "%00", "%1b", "a%20b", new string('q', 5000), "FR"),
            };
            return Gen.Frequency<string>((1, Gen.Const(string.Empty)), (1, valid.Select(v => $"{name}={v}")));
        }).ToList();
        parameters.Add(Gen.Frequency<string>((12, Gen.Const(string.Empty)), (1, Gen.OneOf("zzz=1", "limit=1&limit=2", "=", "%ZZ=1"))));
        return parameters.Aggregate(Gen.Const(new List<string>()), (acc, g) => acc.SelectMany(list => g.Select(s => s.Length == 0 ? list : new List<string>(list) { s })))
            .Select(list => list.Count == 0 ? string.Empty : "?" + string.Join('&', list));
    }

    private Gen<string?> Body(OpenApiGenerators document, string schema)
    {
        var template = Template(schema);
        var generated = document.For(schema);
        var value = template is null ? generated : Gen.Frequency<JsonNode?>((5, template), (3, generated));
        var mutated = Gen.Select(value, Mutation.Gen, Mutation.Gen, Gen.Int[0, 19], (v, m1, m2, roll) =>
        {
            if (roll < 7)
            {
                return v?.ToJsonString() ?? "null";
            }

            // Mutated bodies name their own pool (fz-mds-3, ...), so that the stored-state check can
            // tell an entry that only a mutated request could have created.
            var renamed = v is null ? null : JsonNode.Parse(v.ToJsonString().Replace("\"fz-", "\"fz-m", StringComparison.Ordinal).Replace("/fz-", "/fz-m", StringComparison.Ordinal));
            var once = m1.Apply(renamed);
            return roll < 17 ? once : m2.Apply(TryParse(once) ? JsonNode.Parse(once) : new JsonObject());
        });
        return mutated.Select(s => (string?)s);
    }

    private static System.Text.Json.JsonDocumentOptions Strict => new() { AllowDuplicateProperties = false };

    private static bool TryParse(string text)
    {
        try
        {
            // A duplicate key counts as unparseable: the object model cannot hold it.
            _ = JsonNode.Parse(text, documentOptions: Strict);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            return false;
        }
    }

    private Gen<JsonNode?>? Template(string schema) => schema switch
    {
        "DatasetRequest" => Gen.Int[0, Pool].Select(i => (JsonNode?)Templates.Dataset($"fz-ds-{i}")),
        "NodeRequest" => Gen.Int[0, Pool].Select(i => (JsonNode?)Templates.Node($"fz-node-{i}")),
        "ModelRequest" => Gen.Select(Gen.Int[0, Pool], Gen.OneOf("1.0", "2.0"), (i, v) => (JsonNode?)Templates.Model($"fz-model-{i}", v)),
        "JobRequest" => Gen.Int[0, Pool].Select(i => (JsonNode?)Templates.Job($"fz-job-{i}")),
        "JobBatchRequest" => Gen.Int[0, Pool].List[1, 3].Select(ids => (JsonNode?)new JsonObject { ["jobs"] = new JsonArray(ids.Select(i => (JsonNode?)Templates.Job($"fz-job-{i}")).ToArray()) }),
        "OfferRequest" => Gen.Int[0, Pool].Select(i => (JsonNode?)new JsonObject
        {
            ["job"] = $"{_caller}/fz-job-{i}",
            ["epoch"] = 1,
            ["leaseSeconds"] = 30,
            ["spec"] = Templates.Job($"fz-job-{i}", inputs: []),
        }),
        "JobCancellation" => Gen.Int[0, Pool].Select(i => (JsonNode?)new JsonObject { ["job"] = $"{_caller}/fz-job-{i}", ["epoch"] = 1, ["reason"] = "fuzz", ["fenced"] = false }),
        _ => null,
    };

    private EntityRef? Entity(OpenApiGenerators.Operation op, string path, string query, string? body)
    {
        var dryRun = query.Contains("dryRun", StringComparison.Ordinal);
        var (listing, key) = op.Path switch
        {
            "/api/v1/datasets" => ("datasets", Member(body, "id")),
            "/api/v1/datasets/{id}" => ("datasets", Last(path)),
            "/api/v1/nodes" => ("nodes", Member(body, "id")),
            "/api/v1/nodes/{id}" => ("nodes", Last(path)),
            "/api/v1/models" => ("models", Member(body, "name") is { } name && Member(body, "version") is { } version ? $"{name}@{version}" : null),
            "/api/v1/models/{name}/versions/{version}" => ("models", $"{path.Split('/')[4]}@{Last(path)}"),
            "/api/v1/jobs" => ("jobs", Member(body, "id") is { } id ? $"{_target}/{id}" : null),
            _ => (null, null),
        };
        return listing is null || key is null ? null : new EntityRef(listing, key, op.Method == "POST" && !dryRun);
    }

    private static string Last(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static string? Member(string? body, string name)
    {
        try
        {
            return body is null ? null : JsonNode.Parse(body, documentOptions: Strict)?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
