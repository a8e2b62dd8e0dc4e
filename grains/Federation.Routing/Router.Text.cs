using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Federation.Contracts.Routing;

namespace Federation.Routing;

/// <content>The sentences of the decision record: data-use reasons, the summary, hours and times.</content>
public sealed partial class Router
{
    private static ImmutableArray<Exclusion> DataUseExclusions(InputDataset input, string name, in Purpose purpose)
    {
        var use = DataUseMatcher.Check(input.DataUse, purpose);
        if (use.Allowed)
        {
            return [];
        }

        var exclusions = ImmutableArray.CreateBuilder<Exclusion>(use.Reasons.Length);
        foreach (var unmet in use.Reasons)
        {
            exclusions.Add(new Exclusion(RoutingRule.DataUse, $"dataset {name}: {unmet.Text}", name, unmet.Code));
        }

        return exclusions.MoveToImmutable();
    }

    private static string Summarize(List<CandidateVerdict> feasible, List<CandidateVerdict> excluded)
    {
        // Per excluded nation, its rules once each in order of first appearance; no LINQ Distinct (a HashSet per nation).
        var text = new StringBuilder(excluded.Count * 24);
        foreach (var verdict in excluded)
        {
            text.Append(text.Length == 0 ? "" : "; ").Append(verdict.Nation.Value).Append(": ");
            var seen = 0;
            foreach (var exclusion in verdict.Exclusions)
            {
                var bit = 1 << (int)exclusion.Rule;
                if ((seen & bit) == 0)
                {
                    text.Append(seen == 0 ? "" : ", ").Append(Name(exclusion.Rule));
                    seen |= bit;
                }
            }
        }

        var why = text.ToString();
        if (feasible.Count == 0)
        {
            return excluded.Count == 0
                ? "no nation can run this job: there are no candidate nations"
                : $"no nation can run this job ({why})";
        }

        var s = feasible[0].Score!;
        var chosen = string.Create(CultureInfo.InvariantCulture,
            $"{feasible[0].Nation}: lowest score {s.Total:0.###} ({s.TotalGco2e:0.###} gCO2e on {s.Accelerator}, wait {Hours(s.ExpectedWaitHours)}) of {feasible.Count} feasible nation(s)");
        return excluded.Count == 0 ? chosen : $"{chosen}; excluded {why}";
    }

    private static string Hours(double hours) => string.Create(CultureInfo.InvariantCulture, $"{hours:0.##} h");

    private static string Finish(DateTimeOffset start, double hours) =>
        hours < (DateTimeOffset.MaxValue - start).TotalHours - 24 ? Time(start.AddHours(hours)) : "beyond 9999-12-31";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
