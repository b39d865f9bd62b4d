using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Zproto.Benchmarks;

/// <summary>
/// Settings shared by every benchmark class (besides <c>[MemoryDiagnoser]</c> on each): operations
/// per second, and one table group per category, so that each generated-codec row sits next to its baseline
/// (Google.Protobuf for LOG) and the ratio between them appears in the same run. The job is the
/// default unless the command line picks one (<c>--job short</c> for a smoke run).
/// </summary>
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddColumn(CategoriesColumn.Default, StatisticColumn.OperationsPerSecond);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
    }
}
