namespace LinuxIsolation.Lxi;

/// <summary>The help texts (runc's, for lxi).</summary>
internal static class Usage
{
    public const string Main = """
NAME:
   lxi - Open Container Initiative runtime on LinuxIsolation

USAGE:
   lxi [global options] command [command options] [arguments...]

COMMANDS:
   create      create a container
   delete      delete any resources held by the container often used with detached container
   exec        execute new process inside the container
   features    show the enabled features
   kill        kill sends the specified signal (default: SIGTERM) to the container's init process
   list        lists containers started by lxi with the given root
   pause       pause suspends all processes inside the container
   ps          ps displays the processes running inside a container
   resume      resumes all processes that have been previously paused
   run         create and run a container
   spec        create a new specification file
   start       executes the user defined process in a created container
   state       output the state of a container

GLOBAL OPTIONS:
   --debug             enable debug logging
   --log value         set the log file to write lxi logs to (default is '/dev/stderr')
   --log-format value  set the log format ('text' (default), or 'json') (default: "text")
   --root value        root directory for storage of container state (this should be located in tmpfs) (default: "/run/lxi")
   --criu value        ignored: lxi has no checkpoint and restore
   --systemd-cgroup    refused: lxi manages cgroup v2 directly, without systemd
   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: "auto")
   --help, -h          show help
   --version, -v       print the version

""";

    public static string For(string command) => command switch
    {
        "create" => "USAGE:\n   lxi create [command options] <container-id>\n\nOPTIONS:\n   --bundle value, -b value  path to the root of the bundle directory, defaults to the current directory\n   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n   --pid-file value          specify the file to write the process id to\n   --no-pivot                do not use pivot root to jail process inside rootfs\n   --no-new-keyring          do not create a new session keyring for the container\n   --preserve-fds value      Pass N additional file descriptors to the container (default: 0)\n",
        "start" => "USAGE:\n   lxi start <container-id>\n",
        "run" => "USAGE:\n   lxi run [command options] <container-id>\n\nOPTIONS:\n   --bundle value, -b value, --console-socket value, --detach, -d, --keep, --pid-file value, --no-subreaper, --no-pivot, --no-new-keyring, --preserve-fds value\n",
        "exec" => "USAGE:\n   lxi exec [command options] <container-id> <command> [command options]  || -p process.json <container-id>\n",
        "state" => "USAGE:\n   lxi state <container-id>\n",
        "list" => "USAGE:\n   lxi list [command options]\n\nOPTIONS:\n   --format value, -f value  select one of: table or json (default: \"table\")\n   --quiet, -q               display only container IDs\n",
        "kill" => "USAGE:\n   lxi kill [command options] <container-id> [signal]\n\nOPTIONS:\n   --all, -a  send the specified signal to all processes inside the container\n",
        "delete" => "USAGE:\n   lxi delete [command options] <container-id>\n\nOPTIONS:\n   --force, -f  Forcibly deletes the container if it is still running (uses SIGKILL)\n",
        "ps" => "USAGE:\n   lxi ps [command options] <container-id> [ps options]\n\nOPTIONS:\n   --format value, -f value  select one of: table or json (default: \"table\")\n",
        "pause" => "USAGE:\n   lxi pause <container-id>\n",
        "resume" => "USAGE:\n   lxi resume <container-id>\n",
        "spec" => "USAGE:\n   lxi spec [command options]\n\nOPTIONS:\n   --bundle value, -b value  path to the root of the bundle directory\n   --rootless                generate a configuration for a rootless container\n",
        "features" => "USAGE:\n   lxi features\n",
        _ => Main,
    };
}
