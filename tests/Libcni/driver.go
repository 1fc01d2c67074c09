// cnidriver: a small libcni client, the library podman, containerd and CRI-O use to run CNI plugins, built from
// Debian's golang-github-appc-cni-dev (libcni 1.1.2) in GOPATH mode. It loads a conflist and runs one operation the
// way a runtime does (plugins found on -path, results cached in -cache, capability arguments from -caps):
//
//	cnidriver -conflist F -path DIRS -cache DIR [-caps JSON] add|check|del ID NETNS [IFNAME]
//	cnidriver -conflist F -path DIRS -cache DIR gc [ID ...]           (valid attachments: ID/eth0)
//	cnidriver -conflist F -path DIRS -cache DIR [-caps JSON] bench N PREFIX
//	    ADD then DEL of N containers (netns /run/netns/PREFIXi, container i's host ports moved up by i-1); prints the
//	    ns per container of ADD+DEL, of ADD, of DEL (wall clock, every plugin process included)
//
// add prints the chain's final result as JSON; check/del/gc print nothing; errors go to stderr with status 1.
//
// libcni 1.1.2 has no GCNetworkList (libcni 1.2.0 added it with CNI 1.1): gc does what 1.2's GCNetworkList does for
// each plugin of the list, an invocation with CNI_COMMAND=GC and the plugin's configuration plus
// "cni.dev/valid-attachments", at cniVersion 1.1.0 and only for the plugins whose VERSION lists 1.1.0 (the reference
// plugins 1.1.1 know no GC).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/containernetworking/cni/libcni"
	"github.com/containernetworking/cni/pkg/invoke"
)

func fail(format string, a ...interface{}) {
	fmt.Fprintf(os.Stderr, "cnidriver: "+format+"\n", a...)
	os.Exit(1)
}

func main() {
	conflist := flag.String("conflist", "", "the network configuration list")
	path := flag.String("path", "/usr/lib/cni", "plugin directories, ':'-separated")
	cache := flag.String("cache", "", "libcni's cache directory")
	caps := flag.String("caps", "", "capability arguments (JSON object)")
	flag.Parse()
	args := flag.Args()
	if *conflist == "" || *cache == "" || len(args) < 1 {
		fail("usage: cnidriver -conflist F -path DIRS -cache DIR [-caps JSON] add|check|del ID NETNS [IFNAME] | gc [ID...] | bench N PREFIX")
	}

	list, err := libcni.ConfListFromFile(*conflist)
	if err != nil {
		fail("loading %s: %v", *conflist, err)
	}
	paths := strings.Split(*path, ":")
	cni := libcni.NewCNIConfigWithCacheDir(paths, *cache, nil)
	ctx := context.Background()
	var capArgs map[string]interface{}
	if *caps != "" {
		if err := json.Unmarshal([]byte(*caps), &capArgs); err != nil {
			fail("-caps: %v", err)
		}
	}
	rt := func(id, netns, ifname string) *libcni.RuntimeConf {
		return &libcni.RuntimeConf{ContainerID: id, NetNS: netns, IfName: ifname, CapabilityArgs: capArgs, CacheDir: *cache}
	}
	ifname := "eth0"
	if len(args) >= 4 {
		ifname = args[3]
	}

	switch args[0] {
	case "add", "check", "del":
		if len(args) < 3 {
			fail("%s needs ID and NETNS", args[0])
		}
		r := rt(args[1], args[2], ifname)
		switch args[0] {
		case "add":
			result, err := cni.AddNetworkList(ctx, list, r)
			if err != nil {
				fail("AddNetworkList: %v", err)
			}
			if err := result.Print(); err != nil {
				fail("printing the result: %v", err)
			}
		case "check":
			if err := cni.CheckNetworkList(ctx, list, r); err != nil {
				fail("CheckNetworkList: %v", err)
			}
		case "del":
			if err := cni.DelNetworkList(ctx, list, r); err != nil {
				fail("DelNetworkList: %v", err)
			}
		}
	case "gc":
		gc(ctx, cni, list, paths, args[1:])
	case "bench":
		if len(args) != 3 {
			fail("bench needs N and PREFIX")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			fail("bench: N %q", args[1])
		}
		// Container i publishes each mapping's hostPort + i - 1, so that the containers' mappings differ.
		confs := make([]*libcni.RuntimeConf, n+1)
		for i := 1; i <= n; i++ {
			confs[i] = rt(fmt.Sprintf("bench%d", i), fmt.Sprintf("/run/netns/%s%d", args[2], i), "eth0")
			confs[i].CapabilityArgs = offsetPorts(capArgs, i-1)
		}
		start := time.Now()
		for i := 1; i <= n; i++ {
			if _, err := cni.AddNetworkList(ctx, list, confs[i]); err != nil {
				fail("AddNetworkList %d: %v", i, err)
			}
		}
		added := time.Now()
		for i := 1; i <= n; i++ {
			if err := cni.DelNetworkList(ctx, list, confs[i]); err != nil {
				fail("DelNetworkList %d: %v", i, err)
			}
		}
		// ns per container: ADD and DEL together, ADD only, DEL only.
		end := time.Now()
		fmt.Println(end.Sub(start).Nanoseconds()/int64(n), added.Sub(start).Nanoseconds()/int64(n), end.Sub(added).Nanoseconds()/int64(n))
	default:
		fail("unknown operation %q", args[0])
	}
}

// offsetPorts copies capability arguments with every portMappings hostPort moved up by offset.
func offsetPorts(caps map[string]interface{}, offset int) map[string]interface{} {
	out := make(map[string]interface{}, len(caps))
	for k, v := range caps {
		out[k] = v
	}
	if pms, ok := caps["portMappings"].([]interface{}); ok {
		moved := make([]interface{}, 0, len(pms))
		for _, pm := range pms {
			m, ok := pm.(map[string]interface{})
			if !ok {
				fail("-caps: a portMappings entry is not an object")
			}
			c := make(map[string]interface{}, len(m))
			for k, v := range m {
				c[k] = v
			}
			if hp, ok := m["hostPort"].(float64); ok {
				c["hostPort"] = hp + float64(offset)
			}
			moved = append(moved, c)
		}
		out["portMappings"] = moved
	}
	return out
}

// gc is libcni 1.2's GCNetworkList for libcni 1.1.2: every plugin of the list that supports CNI 1.1.0 gets GC with the
// valid attachments (ID/eth0 for each ID given).
func gc(ctx context.Context, cni *libcni.CNIConfig, list *libcni.NetworkConfigList, paths []string, ids []string) {
	valid := make([]map[string]string, 0, len(ids))
	for _, id := range ids {
		valid = append(valid, map[string]string{"containerID": id, "ifname": "eth0"})
	}
	for _, plugin := range list.Plugins {
		info, err := cni.GetVersionInfo(ctx, plugin.Network.Type)
		if err != nil {
			fail("VERSION of %s: %v", plugin.Network.Type, err)
		}
		supports := false
		for _, v := range info.SupportedVersions() {
			supports = supports || v == "1.1.0"
		}
		if !supports {
			continue
		}
		var conf map[string]interface{}
		if err := json.Unmarshal(plugin.Bytes, &conf); err != nil {
			fail("plugin configuration of %s: %v", plugin.Network.Type, err)
		}
		conf["name"] = list.Name
		conf["cniVersion"] = "1.1.0"
		conf["cni.dev/valid-attachments"] = valid
		stdin, err := json.Marshal(conf)
		if err != nil {
			fail("encoding: %v", err)
		}
		exe, err := invoke.FindInPath(plugin.Network.Type, paths)
		if err != nil {
			fail("finding %s: %v", plugin.Network.Type, err)
		}
		if err := invoke.ExecPluginWithoutResult(ctx, exe, stdin, &invoke.Args{Command: "GC", Path: strings.Join(paths, ":")}, nil); err != nil {
			fail("GC %s: %v", plugin.Network.Type, err)
		}
	}
}
