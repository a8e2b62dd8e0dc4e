// Each test starts real silos (and one restarts PostgreSQL): run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
