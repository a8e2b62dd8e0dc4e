// Tests start real silos: run them one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
