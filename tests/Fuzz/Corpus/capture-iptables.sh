#!/usr/bin/env bash
# Re-captures the iptables-save seeds of iptables/ (needs root and iptables): in a throwaway network namespace
# (fuzziptcap-PID, deleted at the end) it loads rules shaped as IptablesNatBackend writes them (owner comment
# "lxi:app") next to rules of another owner and rules without comments, then saves iptables-save and ip6tables-save.
set -euo pipefail
cd "$(dirname "$0")"
ns=fuzziptcap-$$
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns add "$ns"
ip netns exec "$ns" iptables-restore --noflush <<'RULES'
*nat
-A PREROUTING -d 192.0.2.10/32 -p tcp -m tcp --dport 8080 -m comment --comment "lxi:app" -j DNAT --to-destination 10.9.0.2:80
-A PREROUTING -p udp -m udp --dport 53 -m comment --comment "lxi:app" -j DNAT --to-destination 10.9.0.5:5353
-A POSTROUTING -s 10.9.0.0/24 -m comment --comment "lxi:app" -j MASQUERADE
-A POSTROUTING -s 10.9.0.0/24 -o eth0 -m comment --comment "lxi:app" -j MASQUERADE
-A POSTROUTING -s 10.8.0.0/16 -m comment --comment "lxi:other" -j MASQUERADE
-A POSTROUTING -s 172.16.0.0/12 -j SNAT --to-source 203.0.113.1
COMMIT
*filter
-A FORWARD -s 10.9.0.0/24 -m comment --comment "lxi:app" -j ACCEPT
-A FORWARD -d 10.9.0.0/24 -m comment --comment "lxi:app" -j ACCEPT
-A FORWARD -i br0 -m comment --comment "lxi:app" -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m multiport --dports 22,80 -m comment --comment "a comment with spaces" -j ACCEPT
COMMIT
RULES
ip netns exec "$ns" ip6tables-restore --noflush <<'RULES'
*nat
-A POSTROUTING -s fd00:9::/64 -m comment --comment "lxi:app" -j MASQUERADE
-A PREROUTING -p tcp -m tcp --dport 8443 -m comment --comment "lxi:app" -j DNAT --to-destination [fd00:9::2]:443
COMMIT
RULES
ip netns exec "$ns" iptables-save > iptables/iptables-save.txt
ip netns exec "$ns" ip6tables-save > iptables/ip6tables-save.txt
ip netns exec "$ns" iptables-save -c > iptables/iptables-save-counters.txt
echo "captured $(ls iptables)"
