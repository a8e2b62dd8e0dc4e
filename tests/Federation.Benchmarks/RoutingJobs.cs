using System.Collections.Immutable;
using System.Globalization;
using Federation.Contracts.Catalogue.Datasets;
using Federation.Contracts.Ids;
using Federation.Contracts.Jobs;
using Federation.Reference;
using Federation.Routing;

namespace Federation.Benchmarks;

/// <summary>
/// Realistic jobs to route, without their candidates: one to five inputs drawn from datasets of
/// the federation's nations (movable open data, home-only data, health data that may move to a few
/// listed nations with DS/HMB permissions and IRB, GS, TS, NPU modifiers, ancestry data with
/// user/project/institution lists), purposes of every category with the requester's attributes
/// (most chosen to meet the first input's conditions, as a requester who knows the data would),
/// accelerator requests with models and memory, work in accelerator-hours or FLOPs, and
/// walltime limits and deadlines on some.
/// </summary>
internal static class RoutingJobs
{
    /// <summary>The time every decision is made at.</summary>
    public static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private const int DatasetsPerNation = 8;

    /// <summary>Jobs whose purpose was chosen to meet their first input's conditions; the others' is random.</summary>
    private const int FittedPercent = 85;

    private static readonly string[] s_diseases = ["MONDO:0004992", "MONDO:0005015", "MONDO:0005148", "MONDO:0005267", "MONDO:0004975"];
    private static readonly string[] s_users = ["alice", "bruno", "chiara", "dmitri", "eva", "farid", "greta", "hugo"];
    private static readonly string[] s_projects = ["onco-atlas", "air-health", "gen-cohort", "rare-dx", "eu-imaging"];
    private static readonly string[] s_institutions = ["inserm", "charite", "karolinska", "ucl", "unimi", "kuleuven"];
    private static readonly string[] s_references = ["h100-sxm", "a100-80gb-sxm", "l40s", "v100-sxm2"];

    /// <summary><paramref name="count"/> jobs submitted to the federation's nations; the same seed and federation give the same jobs.</summary>
    public static ImmutableArray<RoutingRequest> Generate(int seed, RoutingFederation federation, int count, ReferenceTables reference)
    {
        var nations = federation.Nations;
        var datasets = Datasets(seed, nations);
        var slugs = reference.Accelerators.Select(a => a.Slug).ToArray();
        var jobs = ImmutableArray.CreateBuilder<RoutingRequest>(count);
        for (var j = 0; j < count; j++)
        {
            var random = new Random(unchecked((seed * 2_147_483) + j));
            var origin = nations[random.Next(nations.Length)];

            // Inputs: the first from any nation; each further one from the same nation half of the time.
            var inputCount = random.Next(100) switch { < 40 => 1, < 70 => 2, < 90 => 3, _ => 5 };
            var inputs = new List<InputDataset>(inputCount);
            var home = random.Next(nations.Length);
            while (inputs.Count < inputCount)
            {
                var nation = inputs.Count == 0 || random.Next(2) == 0 ? home : random.Next(nations.Length);
                var input = datasets[(nation * DatasetsPerNation) + random.Next(DatasetsPerNation)];
                if (!inputs.Contains(input))
                {
                    inputs.Add(input);
                }
                else if (nations.Length * DatasetsPerNation <= inputs.Count)
                {
                    break;
                }
            }

            var id = string.Create(CultureInfo.InvariantCulture, $"job-{j:D5}");
            var workload = Pick(random, RoutingFederation.Workloads.AsSpan());
            var (purpose, user) = random.Next(100) < FittedPercent ? Fitted(random, inputs[0].DataUse) : (RandomPurpose(random), Pick(random, s_users));
            var spec = new JobSpec
            {
                Id = id,
                Owner = new JobOwner(user, random.Next(3) == 0 ? "eu-consortium" : null),
                Inputs = [.. inputs.Select(i => i.Ref)],
                Purpose = purpose,
                Accelerators = new AcceleratorRequest
                {
                    Count = random.Next(100) switch { < 30 => 1, < 50 => 2, < 75 => 4, _ => 8 },
                    MinMemoryGb = random.Next(100) switch { < 50 => 0, < 75 => 40, < 95 => 80, _ => 128 },
                    Models = random.Next(100) < 75 ? [] : [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Pick(random, slugs)).Distinct()],
                },
                Work = random.Next(100) < 60
                    ? WorkEstimate.Hours(Math.Round(LogUniform(random, 0.5, 5_000), 1), TypedId.Parse<AcceleratorSlug>(Pick(random, s_references)))
                    : WorkEstimate.Operations(LogUniform(random, 1e17, 1e22)),
                Walltime = random.Next(2) == 0 ? TimeSpan.Zero : TimeSpan.FromHours(random.Next(1, 73)),
                Deadline = random.Next(100) < 30 ? Now.AddHours(random.Next(2, 169)) : null,
                Priority = random.Next(3),
                Workload = new WorkloadCall { Name = workload.Name, Version = workload.Version },
            };
            jobs.Add(new RoutingRequest
            {
                Job = spec.RefIn(origin),
                Spec = spec,
                Now = Now,
                Inputs = [.. inputs],
            });
        }

        return jobs.MoveToImmutable();
    }

    /// <summary>
    /// The purpose and user of a requester who chose the first input knowing its conditions: the
    /// category and disease its permission allows, and the attributes its modifiers ask for. Other
    /// inputs may still refuse it, and a time limit may have passed.
    /// </summary>
    private static (JobPurpose Purpose, string User) Fitted(Random random, DataUseConditions conditions)
    {
        var purpose = RandomPurpose(random);
        var has = conditions.Modifiers.IsDefault ? [] : conditions.Modifiers;
        var use = conditions.Permission switch
        {
            DuoPermission.DS => ResearchCategory.DiseaseSpecific,
            DuoPermission.HMB => random.Next(2) == 0 ? ResearchCategory.HealthMedicalBiomedical : ResearchCategory.DiseaseSpecific,
            DuoPermission.POA => ResearchCategory.PopulationOriginsAncestry,
            _ => purpose.Use == ResearchCategory.ClinicalCare ? ResearchCategory.General : purpose.Use,
        };
        purpose = purpose with
        {
            Use = use,
            DiseaseTerm = use == ResearchCategory.DiseaseSpecific ? conditions.DiseaseTerm ?? purpose.DiseaseTerm ?? Pick(random, s_diseases) : null,
            Genetic = purpose.Genetic || has.Contains(DuoModifier.GSO),
            Commercial = purpose.Commercial && !has.Contains(DuoModifier.NCU),
            ForProfit = purpose.ForProfit && !has.Contains(DuoModifier.NPU),
            EthicsApprovalReference = has.Contains(DuoModifier.IRB) ? purpose.EthicsApprovalReference ?? "IRB-2025-001" : purpose.EthicsApprovalReference,
            CollaboratorAgreed = purpose.CollaboratorAgreed || has.Contains(DuoModifier.COL),
            PublicationCommitted = purpose.PublicationCommitted || has.Contains(DuoModifier.PUB),
            PublicationPlannedOn = has.Contains(DuoModifier.MOR) ? conditions.MoratoriumUntil?.AddDays(30) : purpose.PublicationPlannedOn,
            Institution = has.Contains(DuoModifier.IS) && !conditions.Institutions.IsDefaultOrEmpty ? Pick(random, conditions.Institutions.AsSpan()) : purpose.Institution,
            Project = has.Contains(DuoModifier.PS) && !conditions.Projects.IsDefaultOrEmpty ? Pick(random, conditions.Projects.AsSpan()) : purpose.Project,
        };
        var user = has.Contains(DuoModifier.US) && !conditions.Users.IsDefaultOrEmpty ? Pick(random, conditions.Users.AsSpan()) : Pick(random, s_users);
        return (purpose, user);
    }

    private static JobPurpose RandomPurpose(Random random)
    {
        var use = random.Next(100) switch
        {
            < 30 => ResearchCategory.DiseaseSpecific,
            < 60 => ResearchCategory.HealthMedicalBiomedical,
            < 85 => ResearchCategory.General,
            < 95 => ResearchCategory.PopulationOriginsAncestry,
            _ => ResearchCategory.ClinicalCare,
        };
        return new JobPurpose
        {
            Use = use,
            DiseaseTerm = use is ResearchCategory.DiseaseSpecific or ResearchCategory.ClinicalCare ? Pick(random, s_diseases) : null,
            Genetic = random.Next(100) < 20,
            MethodsDevelopment = random.Next(100) < 15,
            Commercial = random.Next(100) < 10,
            ForProfit = random.Next(100) < 10,
            EthicsApprovalReference = random.Next(100) < 70 ? string.Create(CultureInfo.InvariantCulture, $"IRB-2025-{random.Next(1000):D3}") : null,
            Institution = Pick(random, s_institutions),
            Project = Pick(random, s_projects),
            CollaboratorAgreed = random.Next(2) == 0,
            PublicationCommitted = random.Next(100) < 70,
            ReturnCommitted = random.Next(100) < 40,
            PublicationPlannedOn = random.Next(100) < 30 ? DateOnly.FromDateTime(Now.UtcDateTime).AddDays(random.Next(30, 900)) : null,
        };
    }

    /// <summary><see cref="DatasetsPerNation"/> datasets per nation, with their residency, data-use conditions and size.</summary>
    private static InputDataset[] Datasets(int seed, ImmutableArray<NationCode> nations)
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var datasets = new InputDataset[nations.Length * DatasetsPerNation];
        for (var n = 0; n < nations.Length; n++)
        {
            var home = nations[n];
            for (var d = 0; d < DatasetsPerNation; d++)
            {
                var random = new Random(unchecked((seed * 31_337) + (n * DatasetsPerNation) + d));
                var others = nations.Where(x => x != home).OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToImmutableArray();
                var conditions = DataUseConditions.Unrestricted;
                Residency residency;
                switch (random.Next(100))
                {
                    case < 35:
                        // Open data: may move anywhere.
                        residency = new Residency(ResidencyKind.Anywhere, []);
                        conditions = conditions with
                        {
                            Permission = random.Next(2) == 0 ? DuoPermission.NRES : DuoPermission.GRU,
                            Modifiers = [.. Some(random, (DuoModifier.NCU, 30), (DuoModifier.PUB, 20))],
                        };
                        break;
                    case < 60:
                        // Home-only data.
                        residency = Residency.HomeOnly;
                        conditions = conditions with
                        {
                            Permission = random.Next(2) == 0 ? DuoPermission.GRU : DuoPermission.HMB,
                            Modifiers = [.. Some(random, (DuoModifier.IRB, 40), (DuoModifier.NPU, 20))],
                        };
                        break;
                    case < 85:
                        // Health data that may be processed in a few listed nations.
                        residency = new Residency(ResidencyKind.ListedNations, others);
                        conditions = conditions with
                        {
                            Permission = random.Next(2) == 0 ? DuoPermission.DS : DuoPermission.HMB,
                            DiseaseTerm = Pick(random, s_diseases),
                            Modifiers = [.. Some(random, (DuoModifier.IRB, 70), (DuoModifier.GS, 50), (DuoModifier.TS, 30), (DuoModifier.NPU, 30), (DuoModifier.GSO, 10))],
                            Nations = [home, .. others.Take(2)],
                            ValidUntil = today.AddDays(random.Next(-60, 1_000)),
                        };
                        break;
                    default:
                        // Ancestry and consortium data with named users, projects or institutions.
                        residency = random.Next(2) == 0 ? new Residency(ResidencyKind.Anywhere, []) : new Residency(ResidencyKind.ListedNations, others);
                        conditions = conditions with
                        {
                            Permission = random.Next(2) == 0 ? DuoPermission.POA : DuoPermission.GRU,
                            Modifiers = [.. Some(random, (DuoModifier.US, 30), (DuoModifier.PS, 40), (DuoModifier.IS, 30), (DuoModifier.MOR, 30), (DuoModifier.COL, 20))],
                            Users = [.. s_users.Where(_ => random.Next(2) == 0)],
                            Projects = [.. s_projects.Where(_ => random.Next(2) == 0)],
                            Institutions = [.. s_institutions.Where(_ => random.Next(2) == 0)],
                            MoratoriumUntil = today.AddDays(random.Next(0, 400)),
                        };
                        break;
                }

                var id = TypedId.Parse<DatasetId>(string.Create(CultureInfo.InvariantCulture, $"ds-{d:D2}"));
                datasets[(n * DatasetsPerNation) + d] = new InputDataset(new DatasetRef(home, id), residency, conditions, (long)LogUniform(random, 1e7, 2e12));
            }
        }

        return datasets;
    }

    private static List<DuoModifier> Some(Random random, params (DuoModifier Modifier, int Percent)[] candidates) =>
        candidates.Where(c => random.Next(100) < c.Percent).Select(c => c.Modifier).ToList();

    private static double LogUniform(Random random, double min, double max) =>
        Math.Exp(Math.Log(min) + (random.NextDouble() * (Math.Log(max) - Math.Log(min))));

    private static T Pick<T>(Random random, ReadOnlySpan<T> items) => items[random.Next(items.Length)];
}
