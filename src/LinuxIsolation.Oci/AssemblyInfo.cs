// The package is for Linux only, as the library under it.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
