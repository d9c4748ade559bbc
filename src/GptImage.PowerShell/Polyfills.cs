#if NETFRAMEWORK
namespace System.Runtime.CompilerServices;

/// <summary>Lets init-only setters compile for .NET Framework.</summary>
internal static class IsExternalInit
{
}
#endif
