using Xunit;

namespace Zp.Tests;

/// <summary>Process tests run one at a time: each starts zpd and several zp processes on a shared 2-core machine.</summary>
[CollectionDefinition("zpd", DisableParallelization = true)]
public sealed class ZpdCollection;
