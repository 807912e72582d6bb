using BarlowTwins.Augment;
using BarlowTwins.Data;
using BarlowTwins.Tests.Support;
using static TorchSharp.torch;

namespace BarlowTwins.Tests.Data;

public sealed class BatchLoaderTests
{
    public BatchLoaderTests() => Torch.Ensure();

    /// <summary>Pixels as floats plus seeded noise: the output depends on the images and the seed only.</summary>
    private sealed class NoisyPixels : IBatchTransform<LabelledBatch>
    {
        public LabelledBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0)
        {
            using var scope = NewDisposeScope();
            var pixels = tensor(images.SelectMany(image => image.Pixels).ToArray()).reshape(images.Count, -1).to_type(ScalarType.Float32);
            using var generator = new Generator((ulong)seed);
            var noisy = pixels + rand([images.Count, 1], generator: generator);
            var labels = tensor(images.Select(image => (long)image.Label).ToArray());
            return new LabelledBatch(noisy.MoveToOuterDisposeScope(), labels.MoveToOuterDisposeScope());
        }
    }

    /// <summary>The source indices of each batch (the images carry their index in the first two pixels).</summary>
    private sealed class Indices : IBatchTransform<int[]>
    {
        public int[] Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0) =>
            [.. images.Select(image => image.Pixels[0] + 256 * image.Pixels[1])];
    }

    /// <summary>Counts batches alive (built, not yet disposed), optionally failing at one batch.</summary>
    private sealed class Counting(int failAt = -1) : IBatchTransform<Counting.Batch>
    {
        private int alive, built;

        public int Alive => Volatile.Read(ref alive);
        public int MostAlive { get; private set; }
        public int Built => Volatile.Read(ref built);

        public sealed class Batch(Counting owner, int[] indices) : IDisposable
        {
            public int[] Indices { get; } = indices;
            public void Dispose() => Interlocked.Decrement(ref owner.alive);
        }

        public Batch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0)
        {
            int number = Interlocked.Increment(ref built) - 1;
            if (number == failAt) throw new InvalidOperationException("transform failed on purpose");
            int now = Interlocked.Increment(ref alive);
            lock (this) MostAlive = Math.Max(MostAlive, now);
            Thread.Sleep(2);
            return new Batch(this, [.. images.Select(image => image.Pixels[0] + 256 * image.Pixels[1])]);
        }
    }

    /// <summary>Images whose first two pixels hold their own index, for checking orders and shards.</summary>
    private sealed class IndexSource(int count) : IImageSource
    {
        public int Count => count;
        public int Channels => 1;
        public IReadOnlyList<string> Classes => ["only"];
        public string Description => $"index source ({count})";
        public ImageSample Get(int index) => new([(byte)(index % 256), (byte)(index / 256)], 1, 2, 1, 0);
    }

    [Fact]
    public void BatchesAreBitIdenticalForAnyWorkerCount()
    {
        var source = new SyntheticSource(70, size: 8, channels: 3, seed: 5);
        List<(float[] Images, long[] Labels)> Run(int workers)
        {
            var loader = new BatchLoader<LabelledBatch>(source, new NoisyPixels(), new LoaderOptions(16, Seed: 9, Workers: workers, Prefetch: 3));
            return [.. loader.Epoch(2).Select(batch =>
            {
                using (batch) return (batch.Images.data<float>().ToArray(), batch.Labels.data<long>().ToArray());
            })];
        }

        var one = Run(1);
        var three = Run(3);
        var inline = Run(0);

        Assert.Equal(4, one.Count); // 70 / 16, last partial batch dropped
        for (int b = 0; b < one.Count; b++)
        {
            Assert.Equal(one[b].Images, three[b].Images);
            Assert.Equal(one[b].Images, inline[b].Images);
            Assert.Equal(one[b].Labels, three[b].Labels);
        }
    }

    [Fact]
    public void EpochsShuffleDifferentlyAndEachCoversEveryImageOnce()
    {
        var loader = new BatchLoader<int[]>(new IndexSource(50), new Indices(), new LoaderOptions(10, Seed: 1, Workers: 2));
        var epoch0 = loader.Epoch(0).SelectMany(batch => batch).ToArray();
        var epoch1 = loader.Epoch(1).SelectMany(batch => batch).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, 50), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(epoch0, loader.Epoch(0).SelectMany(batch => batch)); // replayable

        var ordered = new BatchLoader<int[]>(new IndexSource(25), new Indices(), new LoaderOptions(10, Shuffle: false, DropLast: false));
        Assert.Equal(3, ordered.BatchesPerEpoch);
        Assert.Equal([10, 10, 5], ordered.Epoch(0).Select(batch => batch.Length));
        Assert.Equal(Enumerable.Range(0, 25), ordered.Epoch(0).SelectMany(batch => batch));
    }

    [Fact]
    public void RanksTakeDisjointSlicesOfOneGlobalPermutation()
    {
        const int worldSize = 3, batchSize = 4, count = 55; // 4 global batches of 12; 7 images left out
        var ranks = Enumerable.Range(0, worldSize)
            .Select(rank => new BatchLoader<int[]>(new IndexSource(count), new Indices(),
                new LoaderOptions(batchSize, Seed: 4, Workers: 2, Rank: rank, WorldSize: worldSize)))
            .ToList();
        var single = new BatchLoader<int[]>(new IndexSource(count), new Indices(), new LoaderOptions(batchSize * worldSize, Seed: 4));

        var perRank = ranks.Select(loader => loader.Epoch(3).ToList()).ToList();
        var global = single.Epoch(3).ToList();

        Assert.All(ranks, loader => Assert.Equal(4, loader.BatchesPerEpoch));
        for (int b = 0; b < 4; b++)
            Assert.Equal(global[b], perRank.SelectMany(batches => batches[b])); // rank r's batch = r-th slice of the global batch
        var seen = perRank.SelectMany(batches => batches.SelectMany(batch => batch)).ToList();
        Assert.Equal(48, seen.Distinct().Count()); // disjoint and covering the 4 global batches
        Assert.Equal(single.Order(3)[..48].Order(), seen.Order());
        // One seed per global batch, shared by the ranks: images are told apart by their position
        // in the global batch (rank r starts at r·B), not by a per-rank seed, so that the views do
        // not depend on the world size (the previous rule seeded each rank's slice separately).
        Assert.Equal(single.BatchSeed(3, 0), ranks[1].BatchSeed(3, 0));
        Assert.Equal([0, 4, 8], ranks.Select(loader => loader.FirstIndexInGlobalBatch));
    }

    [Fact]
    public void RankViewsAreSlicesOfTheSingleProcessViews()
    {
        // Two ranks of 3 against one process with batch 6: every image gets the same crops, flips
        // and colour draws, so data-parallel runs see exactly the single-process batches.
        var source = new SyntheticSource(12, size: 16);
        var transform = new TwoViewTransform(TwoViewRecipe.Cifar with { Size = 12 }, parallelism: 1);
        using var scope = NewDisposeScope();
        var single = new BatchLoader<TwoViewBatch>(source, transform, new LoaderOptions(6, Seed: 9, Workers: 0)).Epoch(1).First();
        for (int rank = 0; rank < 2; rank++)
        {
            var slice = new BatchLoader<TwoViewBatch>(source, transform, new LoaderOptions(3, Seed: 9, Workers: 0, Rank: rank, WorldSize: 2))
                .Epoch(1).First();
            Assert.True(slice.ViewA.equal(single.ViewA.narrow(0, 3 * rank, 3)).all().item<bool>(), $"rank {rank}: view A differs");
            Assert.True(slice.ViewB.equal(single.ViewB.narrow(0, 3 * rank, 3)).all().item<bool>(), $"rank {rank}: view B differs");
        }
    }

    [Fact]
    public void StartBatchResumesExactlyMidEpoch()
    {
        var source = new SyntheticSource(64, size: 8, seed: 2);
        var loader = new BatchLoader<LabelledBatch>(source, new NoisyPixels(), new LoaderOptions(8, Seed: 3, Workers: 2));
        var full = loader.Epoch(1).Select(Flatten).ToList();
        var resumed = loader.Epoch(1, startBatch: 5).Select(Flatten).ToList();
        Assert.Equal(full.Skip(5), resumed);
    }

    [Fact]
    public void LeavingEarlyStopsWorkersAndDisposesQueuedBatches()
    {
        var transform = new Counting();
        var loader = new BatchLoader<Counting.Batch>(new IndexSource(400), transform, new LoaderOptions(4, Workers: 3, Prefetch: 4));
        foreach (var batch in loader.Epoch(0))
        {
            batch.Dispose();
            if (batch.Indices[0] >= 0 && transform.Built >= 10) break;
        }
        Assert.Equal(0, transform.Alive);            // every batch built was disposed, taken or not
        Assert.InRange(transform.Built, 10, 10 + 4); // workers stopped within one prefetch of the exit
        Assert.InRange(transform.MostAlive, 1, 4 + 1); // never more than the prefetch depth plus the consumer's
    }

    [Fact]
    public void TensorBatchesNotTakenAreDisposed()
    {
        var transform = new Recording();
        var loader = new BatchLoader<LabelledBatch>(new SyntheticSource(200, size: 8), transform, new LoaderOptions(4, Workers: 2, Prefetch: 6));
        var taken = new List<LabelledBatch>();
        foreach (var batch in loader.Epoch(0))
        {
            taken.Add(batch);
            // Leave once the workers have filled the queue: 3 taken + 6 ahead, and no more until the next take.
            if (taken.Count == 3 && SpinWait.SpinUntil(() => transform.Made.Count == 3 + 6, TimeSpan.FromSeconds(30))) break;
        }

        var made = transform.Made.ToList();
        Assert.Equal((3, 9), (taken.Count, made.Count));
        foreach (var batch in made)
        {
            bool wasTaken = taken.Any(t => ReferenceEquals(t, batch));
            Assert.Equal(!wasTaken, batch.Images.IsInvalid);
            Assert.Equal(!wasTaken, batch.Labels.IsInvalid);
        }
        taken.ForEach(batch => batch.Dispose());
    }

    /// <summary><see cref="NoisyPixels"/> that remembers every batch it made.</summary>
    private sealed class Recording : IBatchTransform<LabelledBatch>
    {
        private readonly NoisyPixels inner = new();

        public System.Collections.Concurrent.ConcurrentBag<LabelledBatch> Made { get; } = [];

        public LabelledBatch Apply(IReadOnlyList<ImageSample> images, long seed, int firstIndex = 0)
        {
            var batch = inner.Apply(images, seed);
            Made.Add(batch);
            return batch;
        }
    }

    [Fact]
    public void WorkerExceptionSurfacesOnTheConsumerAtItsBatch()
    {
        var transform = new Counting(failAt: 3);
        var loader = new BatchLoader<Counting.Batch>(new IndexSource(100), transform, new LoaderOptions(10, Shuffle: false, Workers: 1));
        var received = new List<int>();
        var error = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var batch in loader.Epoch(0))
                using (batch) received.Add(batch.Indices[0]);
        });
        Assert.Equal("transform failed on purpose", error.Message);
        Assert.Equal([0, 10, 20], received);
        Assert.Equal(0, transform.Alive);
    }

    [Fact]
    public void TooFewImagesForOneGlobalBatchIsAClearError()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new BatchLoader<int[]>(new IndexSource(10), new Indices(), new LoaderOptions(4, Rank: 1, WorldSize: 3)));
        Assert.StartsWith("10 images, fewer than one global batch of 12: lower the batch size (the data: index source (10))", error.Message);
    }

    private static float[] Flatten(LabelledBatch batch)
    {
        using (batch) return batch.Images.data<float>().ToArray();
    }
}
