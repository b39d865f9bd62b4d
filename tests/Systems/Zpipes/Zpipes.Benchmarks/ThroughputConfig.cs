using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Zpipes.Benchmarks;

/// <summary>
/// One in-process job (the broker, its clients and the forwarder are threads of the benchmark
/// process, talking over tcp://127.0.0.1), 3 warm-ups and 10 measured iterations, plus an MB/s column.
/// </summary>
public static class ThroughputConfig
{
    /// <summary>The default loggers, exporters and columns, with this job and the MB/s column.</summary>
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("InProcess"))
        .AddColumn(new MegabytesPerSecondColumn());
}

/// <summary>Payload MB/s (10^6 bytes): the bytes one operation moves divided by its mean time.</summary>
public sealed class MegabytesPerSecondColumn : IColumn
{
    public string Id => "MBps";

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Payload megabytes (10^6 bytes) per second: 16 MiB per operation / Mean";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
            return "-";
        var seconds = stats.Mean / 1e9;
        return (ThroughputBenchmarks.BytesPerOperation / seconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
