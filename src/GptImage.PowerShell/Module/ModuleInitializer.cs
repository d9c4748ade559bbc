using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Scope = "namespace", Target = "~N:GptImage.Module", Justification = "The folder of the module initializer; no caller types the namespace.")]

namespace GptImage.Module;

/// <summary>
/// On Windows PowerShell 5.1 (.NET Framework) the module ships System.Text.Json and its dependencies next
/// to its assembly; this resolve handler loads them from there whatever version is asked for (there are no
/// binding redirects in a PowerShell host). On PowerShell 7 the runtime's own assemblies are used.
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

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name).Name;
        if (name is null) { return null; }
        var path = Path.Combine(Folder, name + ".dll");
        return File.Exists(path) ? Assembly.LoadFrom(path) : null;
    }
}
