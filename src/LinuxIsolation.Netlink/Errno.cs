namespace LinuxIsolation;

/// <summary>Linux errno values and their symbolic names (from <c>asm-generic/errno-base.h</c> and <c>errno.h</c>).</summary>
public static class Errno
{
    /// <summary>Operation not permitted.</summary>
    public const int EPERM = 1;
    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;
    /// <summary>No such process.</summary>
    public const int ESRCH = 3;
    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;
    /// <summary>I/O error.</summary>
    public const int EIO = 5;
    /// <summary>Bad file descriptor.</summary>
    public const int EBADF = 9;
    /// <summary>Try again.</summary>
    public const int EAGAIN = 11;
    /// <summary>Out of memory.</summary>
    public const int ENOMEM = 12;
    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;
    /// <summary>Device or resource busy.</summary>
    public const int EBUSY = 16;
    /// <summary>File exists.</summary>
    public const int EEXIST = 17;
    /// <summary>No such device.</summary>
    public const int ENODEV = 19;
    /// <summary>Invalid argument.</summary>
    public const int EINVAL = 22;
    /// <summary>Numerical result out of range (also: an attribute of the wrong size).</summary>
    public const int ERANGE = 34;
    /// <summary>Message too long.</summary>
    public const int EMSGSIZE = 90;
    /// <summary>Protocol not supported.</summary>
    public const int EPROTONOSUPPORT = 93;
    /// <summary>Operation not supported.</summary>
    public const int EOPNOTSUPP = 95;
    /// <summary>Address family not supported by protocol.</summary>
    public const int EAFNOSUPPORT = 97;
    /// <summary>Address already in use.</summary>
    public const int EADDRINUSE = 98;
    /// <summary>Cannot assign requested address.</summary>
    public const int EADDRNOTAVAIL = 99;
    /// <summary>Network is unreachable.</summary>
    public const int ENETUNREACH = 101;
    /// <summary>No buffer space available (on a netlink socket: events were lost).</summary>
    public const int ENOBUFS = 105;
    /// <summary>Transport endpoint is not connected.</summary>
    public const int ENOTCONN = 107;
    /// <summary>Connection refused.</summary>
    public const int ECONNREFUSED = 111;

    /// <summary>Returns the symbolic name of <paramref name="errno"/> ("ENODEV"), or "errno N" for an unknown value.</summary>
    public static string GetName(int errno) => errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 4 => "EINTR", 5 => "EIO", 6 => "ENXIO", 7 => "E2BIG",
        8 => "ENOEXEC", 9 => "EBADF", 10 => "ECHILD", 11 => "EAGAIN", 12 => "ENOMEM", 13 => "EACCES",
        14 => "EFAULT", 15 => "ENOTBLK", 16 => "EBUSY", 17 => "EEXIST", 18 => "EXDEV", 19 => "ENODEV",
        20 => "ENOTDIR", 21 => "EISDIR", 22 => "EINVAL", 23 => "ENFILE", 24 => "EMFILE", 25 => "ENOTTY",
        26 => "ETXTBSY", 27 => "EFBIG", 28 => "ENOSPC", 29 => "ESPIPE", 30 => "EROFS", 31 => "EMLINK",
        32 => "EPIPE", 33 => "EDOM", 34 => "ERANGE", 35 => "EDEADLK", 36 => "ENAMETOOLONG", 37 => "ENOLCK",
        38 => "ENOSYS", 39 => "ENOTEMPTY", 40 => "ELOOP", 42 => "ENOMSG", 43 => "EIDRM", 61 => "ENODATA",
        62 => "ETIME", 71 => "EPROTO", 74 => "EBADMSG", 75 => "EOVERFLOW", 84 => "EILSEQ", 87 => "EUSERS",
        88 => "ENOTSOCK", 89 => "EDESTADDRREQ", 90 => "EMSGSIZE", 91 => "EPROTOTYPE", 92 => "ENOPROTOOPT",
        93 => "EPROTONOSUPPORT", 94 => "ESOCKTNOSUPPORT", 95 => "EOPNOTSUPP", 96 => "EPFNOSUPPORT",
        97 => "EAFNOSUPPORT", 98 => "EADDRINUSE", 99 => "EADDRNOTAVAIL", 100 => "ENETDOWN",
        101 => "ENETUNREACH", 102 => "ENETRESET", 103 => "ECONNABORTED", 104 => "ECONNRESET",
        105 => "ENOBUFS", 106 => "EISCONN", 107 => "ENOTCONN", 108 => "ESHUTDOWN", 110 => "ETIMEDOUT",
        111 => "ECONNREFUSED", 112 => "EHOSTDOWN", 113 => "EHOSTUNREACH", 114 => "EALREADY",
        115 => "EINPROGRESS", 116 => "ESTALE", 122 => "EDQUOT", 125 => "ECANCELED", 130 => "EOWNERDEAD",
        131 => "ENOTRECOVERABLE", 132 => "ERFKILL", 133 => "EHWPOISON",
        524 => "ENOTSUPP",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
