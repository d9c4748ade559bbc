using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Scope = "namespace", Target = "~N:GptImage.Module", Justification = "The folder of the module initializer; no caller types the namespace.")]

namespace GptImage.Module;

/// <summary>
/// On Windows PowerShell 5.1 (.NET Framework) the module ships System.Text.Json, ImageSharp and their dependencies
/// next to its assembly; where one asks for an older version of another than the one shipped (ImageSharp asks for
/// System.Runtime.CompilerServices.Unsafe 5.0.0.0, the module ships 6.0.0.0), the bind fails and this resolve handler
/// answers with the shipped file, as a binding redirect would (there are none in a PowerShell host). DesktopBuildTests
/// checks every reference of the shipped files against it. On PowerShell 7 the runtime's own assemblies are used.
/// Import does nothing else: no file, no socket, no background work (a runbook that only reads the balance pays
/// for nothing it does not use).
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string Folder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";

    /// <inheritdoc />
    public void OnImport()
    {
#if NETFRAMEWORK
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
#endif
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
#if NETFRAMEWORK
        AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
#endif
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args) =>
        Answer(Folder, new AssemblyName(args.Name)) is { } path ? Assembly.LoadFrom(path) : null;

    /// <summary>
    /// The file the resolve handler answers a failed bind with: the assembly of the same name shipped in
    /// <paramref name="folder"/>, when its version is at least the one asked (a lower one would fail later, member by
    /// member); otherwise null, and the bind fails as it would without the handler.
    /// </summary>
    internal static string? Answer(string folder, AssemblyName requested)
    {
        var name = requested.Name;
        if (string.IsNullOrEmpty(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) { return null; }
        var path = Path.Combine(folder, name + ".dll");
        if (!File.Exists(path)) { return null; }
        var shipped = AssemblyName.GetAssemblyName(path).Version;
        return requested.Version is null || (shipped is not null && shipped >= requested.Version) ? path : null;
    }
}
