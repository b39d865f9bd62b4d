using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Binder = Zproto.CodeGen.Binding.Binder;
using Zproto.CodeGen.Rendering;
using Zproto.Model.Specs;
using Zproto.Wire;

namespace Zproto.Cli;

/// <summary>
/// Turns a model into its codec by compiling the generated C# in memory with Roslyn, so
/// <c>encode</c> and <c>decode</c> run exactly the code the source generator gives a project:
/// the CLI has no codec of its own that could drift from it.
/// </summary>
/// <remarks>
/// Compiling takes a few seconds, so the assembly is cached on disk under a key that hashes the
/// generated source together with the identity (MVID) of this tool and of Zproto.Wire: a new
/// build of either never reuses an old codec. The cache lives in <c>$XDG_CACHE_HOME/zproto</c>,
/// else <c>~/.cache/zproto</c>, else a private directory in the temp directory; when none is
/// writable the codec is simply compiled every time.
/// </remarks>
internal static class CodecCompiler
{
    // The namespace of the compiled code does not matter (JSON and hex carry no type names); a
    // fixed one keeps the source, and so the cache key, independent of how the CLI was invoked.
    private const string CodecNamespace = "Zproto.Cli.Codecs";

    private static readonly ConcurrentDictionary<string, Lazy<Type>> s_loaded = new(StringComparer.Ordinal);

    /// <summary>The generated protocol class (the one carrying [ZprotoProtocol]) for <paramref name="spec"/>.</summary>
    /// <exception cref="CliException">The generated code does not compile (an internal error).</exception>
    public static Type Load(ProtocolSpec spec)
    {
        var files = TemplateRenderer.Render(Binder.Bind(spec, CodecNamespace), TemplateSet.BuiltIn);
        var key = CacheKey(files);
        return s_loaded.GetOrAdd(key, k => new Lazy<Type>(() => FindProtocol(LoadAssembly(k, spec, files), spec))).Value;
    }

    private static Assembly LoadAssembly(string key, ProtocolSpec spec, IReadOnlyList<GeneratedFile> files)
    {
        var fileName = key + ".dll";
        foreach (var directory in CacheDirectories())
        {
            var path = Path.Combine(directory, fileName);
            try
            {
                if (File.Exists(path))
                    return Assembly.Load(File.ReadAllBytes(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
            {
                // Unreadable or damaged: compile afresh and overwrite below.
            }
        }
        var image = Compile(key, spec, files);
        foreach (var directory in CacheDirectories())
        {
            if (TryStore(directory, fileName, image))
                break;
        }
        return Assembly.Load(image);
    }

    private static byte[] Compile(string key, ProtocolSpec spec, IReadOnlyList<GeneratedFile> files)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>();
        foreach (var file in files)
            trees.Add(CSharpSyntaxTree.ParseText(file.Text, parseOptions, path: file.HintName, encoding: Encoding.UTF8));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            optimizationLevel: OptimizationLevel.Release,
            nullableContextOptions: NullableContextOptions.Enable,
            deterministic: true);
        var compilation = CSharpCompilation.Create("Zproto.Cli.Codec." + key.Substring(0, 16), trees, References(), options);
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            foreach (var d in result.Diagnostics)
            {
                if (d.Severity == DiagnosticSeverity.Error)
                    throw new CliException($"internal error: the code generated for {spec.FileName} does not compile: {d}");
            }
            throw new CliException($"internal error: the code generated for {spec.FileName} does not compile");
        }
        return stream.ToArray();
    }

    private static List<MetadataReference> References()
    {
        // The running runtime's own assemblies (those next to System.Private.CoreLib), plus the wire
        // layer the generated code calls. The app's other dependencies (Roslyn, System.CommandLine,
        // a test host's) are in the trusted list too but are no business of the codec.
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = new List<MetadataReference>();
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in trusted)
        {
            if (string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal) && path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                references.Add(MetadataReference.CreateFromFile(path));
        }
        if (references.Count == 0)
            throw new CliException("internal error: the runtime's assemblies are not listed in TRUSTED_PLATFORM_ASSEMBLIES");
        references.Add(MetadataReference.CreateFromFile(typeof(ZprotoProtocolAttribute).Assembly.Location));
        return references;
    }

    private static Type FindProtocol(Assembly assembly, ProtocolSpec spec)
    {
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.GetCustomAttribute<ZprotoProtocolAttribute>() is { } attribute && attribute.Name == spec.Name)
                return type;
        }
        throw new CliException($"internal error: the code generated for {spec.FileName} has no [ZprotoProtocol(\"{spec.Name}\")] class");
    }

    private static string CacheKey(IReadOnlyList<GeneratedFile> files)
    {
        var text = new StringBuilder();
        text.Append("zproto-codec-cache-v1\n");
        text.Append(typeof(CodecCompiler).Assembly.ManifestModule.ModuleVersionId.ToString("N")).Append('\n');
        text.Append(typeof(ZprotoProtocolAttribute).Assembly.ManifestModule.ModuleVersionId.ToString("N")).Append('\n');
        text.Append(Environment.Version).Append('\n');
        foreach (var file in files)
            text.Append(file.HintName).Append('\0').Append(file.Text).Append('\0');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Cache directories to try, best first.</summary>
    internal static IEnumerable<string> CacheDirectories()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg))
            yield return Path.Combine(xdg, "zproto");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
            yield return Path.Combine(home, ".cache", "zproto");
        if (PrivateTempDirectory() is { } temp)
            yield return temp;
    }

    // The temp directory is shared with other users, and this cache holds code we load: use it
    // only through a directory that nobody else can write to.
    private static string? PrivateTempDirectory()
    {
        try
        {
            var path = Path.Combine(Path.GetTempPath(), "zproto-cache-" + Environment.UserName);
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return path;
            }
            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(path, Private);
            return File.GetUnixFileMode(path) == Private ? path : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    // Every model edit and every new build of the tool adds a codec; keep the newest ones only.
    private const int CacheLimit = 200;

    private static void Prune(string directory)
    {
        try
        {
            var files = new DirectoryInfo(directory).GetFiles("*.dll");
            if (files.Length <= CacheLimit)
                return;
            Array.Sort(files, (a, b) => b.LastWriteTimeUtc.CompareTo(a.LastWriteTimeUtc));
            for (var i = CacheLimit / 2; i < files.Length; i++)
                files[i].Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Pruning is housekeeping; a file another process holds or removed is fine.
        }
    }

    private static bool TryStore(string directory, string fileName, byte[] image)
    {
        var temporary = Path.Combine(directory, $"{fileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            // Write then rename: a concurrent reader sees the whole file or none.
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, Path.Combine(directory, fileName), overwrite: true);
            Prune(directory);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception inner) when (inner is IOException or UnauthorizedAccessException or ArgumentException)
            {
            }
            return false;
        }
    }
}
