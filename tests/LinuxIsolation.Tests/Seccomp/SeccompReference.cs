using System.Collections.Generic;
using System.Linq;
using LinuxIsolation.Seccomp;

namespace LinuxIsolation.Tests.Seccomp;

/// <summary>
/// What a filter decides for one call, from the model's documented meaning, without compiling it: the independent
/// answer the compiled programs are checked against.
/// </summary>
internal static class SeccompReference
{
    public const uint AuditArchX86_64 = 0xc000003e;
    public const uint AuditArchI386 = 0x40000003;
    public const uint AuditArchAarch64 = 0xc00000b7;
    public const uint X32Bit = 0x40000000;

    public static uint Decide(SeccompFilter filter, SeccompArchitecture native, in SeccompData data)
    {
        var covered = new List<SeccompArchitecture> { native };
        covered.AddRange(filter.Architectures);
        SeccompArchitecture? abi = null;
        uint nr = (uint)data.Nr;
        switch (data.Arch)
        {
            case AuditArchX86_64:
                if (nr >= X32Bit)
                {
                    if (covered.Contains(SeccompArchitecture.X32))
                    {
                        abi = SeccompArchitecture.X32;
                    }
                    else if (nr == uint.MaxValue && covered.Contains(SeccompArchitecture.X86_64))
                    {
                        return filter.DefaultAction.ToKernel();
                    }
                }
                else if (covered.Contains(SeccompArchitecture.X86_64))
                {
                    abi = SeccompArchitecture.X86_64;
                }

                break;
            case AuditArchI386 when covered.Contains(SeccompArchitecture.I386):
                abi = SeccompArchitecture.I386;
                break;
            case AuditArchAarch64 when covered.Contains(SeccompArchitecture.Aarch64):
                abi = SeccompArchitecture.Aarch64;
                break;
        }

        if (abi is not { } architecture)
        {
            return filter.BadArchitectureAction.ToKernel();
        }

        string? name = SeccompSyscalls.GetName(architecture, data.Nr);
        if (name is null)
        {
            return filter.DefaultAction.ToKernel();
        }

        bool is32 = architecture is SeccompArchitecture.I386 or SeccompArchitecture.X32;
        ulong[] args = [data.A0, data.A1, data.A2, data.A3, data.A4, data.A5];
        foreach (SeccompRule rule in filter.Rules)
        {
            if (rule.Names.Contains(name) && rule.Conditions.All(c => c.Matches(args[c.Index], is32)))
            {
                return rule.Action.ToKernel();
            }
        }

        return filter.DefaultAction.ToKernel();
    }
}
