using System.CommandLine;
using System.Text.Json;
using Federation.Fedctl.Connection;
using Federation.Fedctl.Jobs;
using Federation.Fedctl.Membership;
using Federation.Fedctl.Roster;
using Federation.Protocol;
using Federation.Protocol.Roster;

namespace Federation.Fedctl;

/// <summary>
/// <c>fedctl federation leave|join</c>: membership on the governed roster. Leaving proposes the roster
/// version without this nation, and only once the nation is drained and empty; joining prints this
/// nation's roster entry for the members to sign, after checking that the members' endpoints present
/// the pins of the roster version it was given.
/// </summary>
public static class FederationCommands
{
    /// <summary>The <c>federation</c> command.</summary>
    public static Command Build(FedctlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var federation = new Command("federation", "This nation's membership of the federation: join or leave by a roster version signed by a quorum.");
        federation.Subcommands.Add(Leave(context));
        federation.Subcommands.Add(Join(context));
        return federation;
    }

    private static Command Leave(FedctlContext context)
    {
        var output = new Option<string>("--out") { Description = "the proposal file to write (default: standard output)" };
        var quorum = new Option<int?>("--quorum") { Description = "signatures the version after this one needs (default: kept)" };
        var command = new Command("leave", "Propose the roster version without this nation (as fedctl roster propose --remove), once it is drained and empty; the other members sign and submit it.") { output, quorum };
        command.SetAction((parse, ct) => context.RunAsync(parse, async (api, writer) =>
        {
            var code = JobText.Text((await api.SendAsync(HttpMethod.Get, "api/v1/nation", cancellationToken: ct)).Body?["code"]);
            var status = (await api.SendAsync(HttpMethod.Get, "api/v1/nation/drain", cancellationToken: ct)).Body!;
            if (!status["draining"]!.GetValue<bool>())
            {
                throw new FedctlException($"{code} is not draining: run fedctl nation drain [--give-back] --wait first, so that no job is lost or run twice", ExitCodes.Conflict);
            }

            if (!status["empty"]!.GetValue<bool>())
            {
                throw new FedctlException($"{code} is draining but not empty: {NationDrainCommands.Left(status)}; wait with fedctl nation drain --wait", ExitCodes.Conflict);
            }

            var current = await RosterFiles.CurrentAsync(api, ct);
            var nations = current.Nations.Where(n => !string.Equals(n.Code, code, StringComparison.OrdinalIgnoreCase)).ToList();
            if (nations.Count == current.Nations.Count)
            {
                throw new FedctlException($"{code} is not on roster version {current.Version}: nothing to leave", ExitCodes.NotFound);
            }

            var proposal = RosterRules.Propose(current, nations, parse.GetValue(quorum));
            var problems = proposal.Document.Validate();
            if (problems.Count > 0)
            {
                throw new FedctlException($"the proposed roster is invalid: {string.Join("; ", problems)}", ExitCodes.Invalid);
            }

            RosterFiles.WriteProposal(proposal, parse.GetValue(output), writer);
            context.Error.WriteLine($"{code} is drained and empty; proposed roster version {proposal.Version} without {code} ({proposal.Nations.Count} nations); it needs {current.RequiredSignatures} signatures of members of version {current.Version}: fedctl roster sign, then fedctl roster submit at any member");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Join(FedctlContext context)
    {
        var code = new Option<string>("--nation") { Description = "this nation's code", Required = true };
        var key = new Option<string>("--certificate") { Description = "this nation's federation key (.pfx, as fedctl nation init wrote it)", Required = true };
        var endpoint = new Option<string>("--endpoint") { Description = $"this nation's federation API URL (default: {NationCommands.DefaultEndpoint})" };
        var name = new Option<string>("--name") { Description = "the display name in the roster (default: the code)" };
        var roster = new Option<string>("--roster") { Description = "the roster version in force, as a member gave it (fedctl roster status -o json, its \"current\"); its members' pins are checked against their endpoints" };
        var command = new Command("join", "Print this nation's roster entry for the members to propose and sign (fedctl roster propose --add), after checking that each member's endpoint presents the pin the given roster names.") { code, key, endpoint, name, roster };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                using var certificate = RosterFiles.LoadKey(parse.GetValue(key)!);
                var nation = parse.GetValue(code)!.ToUpperInvariant();
                var entry = new RosterEntry(nation, parse.GetValue(name) ?? nation, parse.GetValue(endpoint) ?? NationCommands.DefaultEndpoint, ProtocolVersions.Supported, [SpkiPin.Compute(certificate)]);
                var problems = RosterDocument.ValidateEntry(entry);
                if (problems.Count > 0)
                {
                    throw new FedctlException($"the entry is invalid: {string.Join("; ", problems)}", ExitCodes.Usage);
                }

                if (parse.GetValue(roster) is { } path)
                {
                    var given = RosterFiles.ReadProposal(path);
                    var mismatches = 0;
                    foreach (var member in given.Nations.Where(n => n.Code != nation))
                    {
                        var (pin, error) = await PinProbe.ReadAsync(new Uri(member.FederationEndpoint), member.Pins, certificate, TimeSpan.FromSeconds(10), ct);
                        var verdict = pin is null ? $"unreachable ({error})" : member.Pins.Contains(pin) ? "pin matches the roster" : $"PIN MISMATCH: presents {pin}, the roster names {string.Join(", ", member.Pins)}";
                        mismatches += pin is not null && member.Pins.Contains(pin) ? 0 : 1;
                        context.Error.WriteLine($"{member.Code} {member.FederationEndpoint}: {verdict}");
                    }

                    if (mismatches > 0)
                    {
                        throw new FedctlException($"{mismatches} member(s) of roster version {given.Version} could not be checked against their pins: do not join through this roster until they are", ExitCodes.Conflict);
                    }
                }

                context.Output.WriteLine(JsonSerializer.Serialize(entry, RosterDocument.JsonOptions));
                context.Error.WriteLine($"give this entry to a member: fedctl roster propose --add <file>, signed by a quorum, then submitted; {nation} joins when that version is in force");
                return ExitCodes.Ok;
            }
            catch (FedctlException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return e.ExitCode;
            }
        });
        return command;
    }
}
