using System;

namespace Remctl.Daemon;

/// <summary>A config file that is missing, unreadable or wrong; the daemon exits 2 with its message.</summary>
internal sealed class DaemonConfigException(string message, Exception? inner = null) : Exception(message, inner);
