using System;
using System.Collections.Generic;
using System.IO;
using LinuxIsolation.Seccomp;
using LinuxIsolation.Tests.Namespaces;
using LinuxIsolation.Tests.Processes;
using Xunit;

namespace LinuxIsolation.Tests.Seccomp;

/// <summary>
/// Our compiler against libseccomp (Debian's libseccomp-dev 2.5): libseccomp-golden.c builds the same profile as
/// <see cref="Profile"/> and writes it with seccomp_export_bpf; both programs then run through the managed BPF
/// interpreter over every call number of the ABIs and a grid of argument values, and must decide the same for each.
/// The programs differ in shape (libseccomp orders calls by priority, or a tree with OPTIMIZE 2; our compiler a
/// binary search over number intervals), so the comparison is of meaning, not bytes. Needs gcc and libseccomp-dev
/// (tests/run installs them); without them the test fails, as under CI it must.
/// </summary>
public class SeccompGoldenTests
{
    private const uint X64 = SeccompReference.AuditArchX86_64;
    private const uint I386 = SeccompReference.AuditArchI386;

    private static readonly Lazy<string> s_helper = new(Build, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly ulong[] Values =
    [
        0, 1, 2, 8, 37, 38, 39, 40, 41, 0x5412, 0x5413, 0x20000, 0x10000000, 0x7e020000, 0xffffffff,
        0x100000000, 0x100000001, 0xffffffffffffffff,
    ];

    private static string Build()
    {
        Assert.True(File.Exists("/usr/include/seccomp.h"), "libseccomp-dev is missing (apt-get install -y libseccomp-dev; tests/run installs it)");
        string source = Path.Combine(NativeLibraryTests.RepositoryRoot(), "tests", "LinuxIsolation.Tests", "Seccomp", "libseccomp-golden.c");
        string output = Path.Combine(AppContext.BaseDirectory, $"libseccomp-golden-{Environment.ProcessId}");
        NsTool.Run("gcc", "-O2", "-Wall", "-Werror", "-o", output, source, "-lseccomp");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(output);
        return output;
    }

    /// <summary>The profile of libseccomp-golden.c, in our model.</summary>
    private static SeccompFilter Profile(bool compat)
    {
        var filter = new SeccompFilter(SeccompAction.KillProcess) { BadArchitectureAction = SeccompAction.KillProcess };
        if (compat)
        {
            filter.Architectures.Add(SeccompArchitecture.I386);
            filter.Architectures.Add(SeccompArchitecture.X32);
        }

        filter.Add(SeccompAction.Allow, "read", "write", "close", "exit_group", "brk", "mmap", "munmap", "rt_sigreturn", "getpid", "openat");
        filter.Add(SeccompAction.Errno(1), "mount");
        filter.Add(SeccompAction.Errno(1), "umount2");
        filter.Add(SeccompAction.Errno(38), "clone3");
        filter.Add("personality", SeccompAction.Allow, SeccompCondition.Equal(0, 0));
        filter.Add("personality", SeccompAction.Allow, SeccompCondition.Equal(0, 8));
        filter.Add("personality", SeccompAction.Allow, SeccompCondition.Equal(0, 0xffffffff));
        filter.Add("socket", SeccompAction.Allow, SeccompCondition.LessThan(0, 38));
        filter.Add("socket", SeccompAction.Allow, SeccompCondition.GreaterThan(0, 40));
        filter.Add("clone", SeccompAction.Allow, SeccompCondition.MaskedEqual(0, 0x7e020000, 0));
        filter.Add("ioctl", SeccompAction.Errno(1), SeccompCondition.Equal(1, 0x5412));
        filter.Add("ioctl", SeccompAction.Allow, SeccompCondition.NotEqual(1, 0x5412));
        filter.Add("lseek", SeccompAction.Allow, SeccompCondition.LessOrEqual(1, 0x100000000), SeccompCondition.GreaterOrEqual(2, 1));
        return filter;
    }

    [Theory]
    [InlineData("1", false)]
    [InlineData("2", false)]
    [InlineData("1", true)]
    [InlineData("2", true)]
    public void OurProgramMeansWhatLibseccompsMeans(string optimize, bool compat)
    {
        string bpf = Path.Combine(Path.GetTempPath(), $"lxi-golden-{Environment.ProcessId}-{optimize}-{compat}.bpf");
        try
        {
            var arguments = new List<string> { bpf, optimize };
            if (compat)
            {
                arguments.Add("i386+x32");
            }

            NsTool.Run(s_helper.Value, [.. arguments]);
            byte[] theirs = File.ReadAllBytes(bpf);
            SeccompProgram ours = Profile(compat).Compile(SeccompArchitecture.X86_64);
            BpfInterpreter.Check(theirs);
            BpfInterpreter.Check(ours.Instructions);

            int compared = 0, differing = 0;
            var differences = new List<string>();
            void Compare(in SeccompData data)
            {
                compared++;
                uint a = BpfInterpreter.Run(ours.Instructions, data);
                uint b = BpfInterpreter.Run(theirs, data);
                differing += a != b ? 1 : 0;
                if (a != b && differences.Count < 20)
                {
                    differences.Add($"{data}: ours 0x{a:x8}, libseccomp 0x{b:x8}");
                }
            }

            foreach ((uint arch, SeccompArchitecture abi, bool is32) in new[] { (X64, SeccompArchitecture.X86_64, false), (X64, SeccompArchitecture.X32, false), (I386, SeccompArchitecture.I386, true), (0xc00000b7u, SeccompArchitecture.Aarch64, false) })
            {
                foreach (string name in SeccompSyscalls.GetNames(abi))
                {
                    int nr = SeccompSyscalls.GetNumber(abi, name);
                    bool conditioned = name is "personality" or "socket" or "clone" or "ioctl" or "lseek";
                    foreach (ulong v0 in conditioned ? Values : [0UL, 0xffffffff])
                    {
                        foreach (ulong v1 in conditioned ? Values : [0UL])
                        {
                            foreach (ulong v2 in conditioned ? Values : [0UL])
                            {
                                if (is32 && (v0 | v1 | v2) > uint.MaxValue)
                                {
                                    continue; // a 32-bit task's arguments have no upper half
                                }

                                Compare(new SeccompData(nr, arch, v0, v1, v2));
                            }
                        }
                    }
                }
            }

            // Numbers no ABI has, and the x32 range seen from the x86_64 ABI without x32 covered.
            foreach (int nr in new[] { 1000, 0x3fffffff, 0x40000000 + 600, 0x7fffffff, int.MinValue })
            {
                Compare(new SeccompData(nr, X64));
            }

            Assert.True(differing == 0, $"{differing} of {compared} decisions differ:\n" + string.Join('\n', differences));
            Assert.True(compared > 20000, compared.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(bpf);
        }
    }
}
