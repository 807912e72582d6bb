namespace BarlowTwins.Augment;

/// <summary>Runs per-image work over a batch on up to a given number of threads.</summary>
internal static class ParallelImages
{
    /// <summary>Calls <paramref name="body"/> for 0 … count − 1; sequentially when <paramref name="parallelism"/> is 1.</summary>
    public static void For(int count, int parallelism, Action<int> body)
    {
        if (parallelism == 1 || count == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, body);
    }
}
