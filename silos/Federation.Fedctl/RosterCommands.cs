using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Output;
using Federation.Fedctl.Roster;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Fedctl;

/// <summary>
/// <c>fedctl roster show|status|propose|sign|submit|rotate-key</c>: the governed roster. A change is a
/// proposal file (the next version), signed offline by each approving nation with its federation key
/// and submitted to any member once a quorum of the members in force signed it.
/// </summary>
public static class RosterCommands
{
    /// <summary>The columns of <c>roster show</c>.</summary>
    public static IReadOnlyList<string> Headers { get; } = ["nation", "name", "federation endpoint", "pins", "retired pins"];

    /// <summary>The <c>roster</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var roster = new Command("roster", "The federation roster: who is a member, with which keys; changed only by versions signed by a quorum of the members.");
        roster.Subcommands.Add(Show(context));
        roster.Subcommands.Add(Status(context));
        roster.Subcommands.Add(Propose(context));
        roster.Subcommands.Add(Sign(context));
        roster.Subcommands.Add(Submit(context));
        roster.Subcommands.Add(RotateKey(context));
        return roster;
    }

    private static Command Show(FedctlContext context)
    {
        var command = new Command("show", "List the nations of the roster version in force, with their active and retired pins.");
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var current = await RosterFiles.CurrentAsync(api, ct);
            if (context.Json(parse))
            {
                context.WriteJson(JsonNode.Parse(current.ToJson()));
                return ExitCodes.Ok;
            }

            output.WriteLine($"roster version {current.Version}, {current.Nations.Count} nations");
            TableWriter.Write(output, Headers, current.Nations.Select(n => (IReadOnlyList<string>)
            [
                n.Code, n.Name, n.FederationEndpoint, string.Join(" ", n.Pins),
                (n.RetiredPins ?? []).Count == 0 ? "-" : string.Join(" ", n.RetiredPins!.Select(r => $"{r.Pin} (until {r.NotAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)")),
            ]), maxCellWidth: int.MaxValue);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Status(FedctlContext context)
    {
        var command = new Command("status", "The roster version in force, its digest, who signed it, the quorum the next version needs, and the last version refused with the reason.");
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var status = (await api.SendAsync(HttpMethod.Get, "api/v1/roster", cancellationToken: ct)).Body as JsonObject
                ?? throw new FedctlException($"the silo at {api.BaseAddress} answered GET /api/v1/roster without a JSON object", ExitCodes.WrongEndpoint);
            if (context.Json(parse))
            {
                context.WriteJson(status);
                return ExitCodes.Ok;
            }

            var signers = status["current"]?["signatures"]?.AsArray().Select(s => JobText.Text(s?["nation"])).ToList() ?? [];
            DetailView.WritePairs(output,
            [
                ("version", JobText.Text(status["version"])),
                ("source", JobText.Text(status["source"])),
                ("digest", JobText.Text(status["digest"])),
                ("signed by", signers.Count == 0 ? "-" : string.Join(", ", signers)),
                ("applied at", Timestamp.Format(status["appliedAt"])),
                ("next version needs", $"{JobText.Text(status["requiredSignatures"])} signatures of its members"),
                ("last refused", status["lastRefusal"] is JsonObject refusal
                    ? $"version {JobText.Text(refusal["version"])} from {JobText.Text(refusal["source"])} at {Timestamp.Format(refusal["at"])}: {JobText.Text(refusal["reason"])}"
                    : "-"),
            ]);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Propose(FedctlContext context)
    {
        var add = new Option<string[]>("--add") { Description = "a roster entry file (as fedctl nation init prints it) to add, or to replace the entry of the same nation", AllowMultipleArgumentsPerToken = false };
        var remove = new Option<string[]>("--remove") { Description = "a nation code to remove" };
        var quorum = new Option<int?>("--quorum") { Description = "signatures the version after this one needs (default: kept; none set means a majority)" };
        var output = new Option<string>("--out") { Description = "the proposal file to write (default: standard output)" };
        var command = new Command("propose", "Write the next roster version (unsigned) from the version in force at the nation, with nations added, replaced or removed.") { add, remove, quorum, output };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, writer) =>
        {
            var current = await RosterFiles.CurrentAsync(api, ct);
            var nations = current.Nations.ToList();
            foreach (var path in parse.GetValue(add) ?? [])
            {
                var entry = RosterFiles.ReadEntry(path);
                nations.RemoveAll(n => n.Code == entry.Code);
                nations.Add(entry);
            }

            foreach (var code in parse.GetValue(remove) ?? [])
            {
                if (nations.RemoveAll(n => string.Equals(n.Code, code, StringComparison.OrdinalIgnoreCase)) == 0)
                {
                    throw new FedctlException($"--remove: {code} is not on roster version {current.Version}", ExitCodes.NotFound);
                }
            }

            var proposal = RosterRules.Propose(current, nations, parse.GetValue(quorum));
            Check(proposal);
            RosterFiles.WriteProposal(proposal, parse.GetValue(output), writer);
            context.Error.WriteLine($"proposed roster version {proposal.Version} ({proposal.Nations.Count} nations); it needs {current.RequiredSignatures} signatures of members of version {current.Version}: fedctl roster sign");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Sign(FedctlContext context)
    {
        var file = new Argument<string>("proposal") { Description = "the proposal file (rewritten with the signature added)" };
        var nation = new Option<string>("--nation") { Description = "the signing nation's code", Required = true };
        var key = new Option<string>("--certificate") { Description = "the nation's federation key (.pfx, as fedctl nation init wrote it)", Required = true };
        var command = new Command("sign", "Sign a roster proposal with this nation's federation key (offline: nothing is sent).") { file, nation, key };
        command.SetAction(parse => Offline(context, () =>
        {
            var path = parse.GetValue(file)!;
            var proposal = RosterFiles.ReadProposal(path);
            var code = parse.GetValue(nation)!.ToUpperInvariant();
            using var certificate = RosterFiles.LoadKey(parse.GetValue(key)!);
            var signature = RosterSigning.Sign(proposal, code, certificate);
            var signed = proposal with { Signatures = [.. proposal.Signatures.Where(s => s.Nation != code), signature] };
            RosterFiles.WriteProposal(signed, path, context.Output);
            context.Output.WriteLine($"{code} signed roster version {proposal.Version} with pin {signature.Pin}; signatures: {string.Join(", ", signed.Signatures.Select(s => s.Nation))}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Submit(FedctlContext context)
    {
        var file = new Argument<string>("proposal") { Description = "the signed proposal file" };
        var command = new Command("submit", "Submit a signed roster version to the nation: applied and offered to every member when it carries a quorum of valid signatures, refused with the reason otherwise.") { file };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, output) =>
        {
            var proposal = RosterFiles.ReadProposal(parse.GetValue(file)!);
            var answer = await api.TrySendAsync(HttpMethod.Post, "api/v1/roster/versions", JsonNode.Parse(proposal.ToJson()), cancellationToken: ct);
            if (answer.Status == HttpStatusCode.UnprocessableEntity)
            {
                throw new FedctlException($"refused: {JobText.Text(answer.Body?["detail"])}", ExitCodes.Conflict);
            }

            if (!answer.IsSuccess)
            {
                throw api.Explain(HttpMethod.Post, "api/v1/roster/versions", answer);
            }

            if (context.Json(parse))
            {
                context.WriteJson(answer.Body);
                return ExitCodes.Ok;
            }

            output.WriteLine($"roster version {JobText.Text(answer.Body?["version"])} is in force at {api.BaseAddress}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command RotateKey(FedctlContext context)
    {
        var nation = new Option<string>("--nation") { Description = "this nation's code", Required = true };
        var key = new Option<string>("--certificate") { Description = "the nation's current federation key (.pfx); it signs the proposal", Required = true };
        var next = new Option<string>("--new-certificate") { Description = "the new key (.pfx); created when the file does not exist", Required = true };
        var grace = new Option<string>("--grace") { Description = "how long the old key stays valid after the version is made (default 7d)", DefaultValueFactory = _ => "7d" };
        var output = new Option<string>("--out") { Description = "the proposal file to write (default: standard output)" };
        var command = new Command("rotate-key", "Propose the roster version that makes a new key this nation's pin and retires the current one after a grace period, signed with the current key; other members then sign it.") { nation, key, next, grace, output };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, writer) =>
        {
            var code = parse.GetValue(nation)!.ToUpperInvariant();
            var period = RosterFiles.ParseDuration(parse.GetValue(grace)!, "--grace");
            var current = await RosterFiles.CurrentAsync(api, ct);
            var entry = current.Nations.FirstOrDefault(n => n.Code == code)
                ?? throw new FedctlException($"{code} is not on roster version {current.Version}", ExitCodes.NotFound);
            using var old = RosterFiles.LoadKey(parse.GetValue(key)!);
            var newPath = parse.GetValue(next)!;
            using var fresh = File.Exists(newPath) ? RosterFiles.LoadKey(newPath) : RosterFiles.CreateKey(code, newPath);
            var rotated = RosterRules.RotateKey(entry, SpkiPin.Compute(fresh), DateTimeOffset.UtcNow, period);
            var proposal = RosterRules.Propose(current, [.. current.Nations.Select(n => n.Code == code ? rotated : n)]);
            Check(proposal);
            var signed = proposal with { Signatures = [RosterSigning.Sign(proposal, code, old)] };
            RosterFiles.WriteProposal(signed, parse.GetValue(output), writer);
            context.Error.WriteLine(
                $"proposed roster version {proposal.Version}: {code}'s pin becomes {SpkiPin.Compute(fresh)}, the old pin {SpkiPin.Compute(old)} is retired on {rotated.RetiredPins![^1].NotAfter.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z; signed by {code}. "
                + $"It needs {current.RequiredSignatures} signatures (fedctl roster sign), then fedctl roster submit; switch Federation:Peering:CertificatePath to {newPath} before the old pin ends.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static void Check(SignedRoster proposal)
    {
        var problems = proposal.Document.Validate();
        if (problems.Count > 0)
        {
            throw new FedctlException($"the proposed roster is invalid: {string.Join("; ", problems)}", ExitCodes.Invalid);
        }
    }

    private static int Offline(FedctlContext context, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (FedctlException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
    }
}
