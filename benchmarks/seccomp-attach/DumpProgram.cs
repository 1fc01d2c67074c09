// seccomp-dump DOCKER_OUT OCI_JSON OCI_OUT: the library's compiled programs as raw sock_filter arrays.
using System.IO;
using LinuxIsolation.Seccomp;

SeccompProgram docker = SeccompProfiles.DockerDefault.Compile();
File.WriteAllBytes(args[0], docker.Instructions.ToArray());
SeccompProgram oci = SeccompFilter.FromOciJson(File.ReadAllBytes(args[1])).Compile();
File.WriteAllBytes(args[2], oci.Instructions.ToArray());
System.Console.WriteLine($"SeccompProfiles.DockerDefault: {docker.InstructionCount} instructions; FromOciJson: {oci.InstructionCount} instructions");
