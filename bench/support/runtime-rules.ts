/**
 * The rules both runtime benches add to the shipped ones (21 rules in all): a list, a macro and seven
 * rules exercising every operator family (pmatch, in, startswith, contains/icontains, glob, numeric
 * comparison). `appPorts` is the estate's expected outbound ports, as an operator would tune it.
 */
export function benchExtraRules(appPorts: readonly number[]): string {
  return `
- list: app_ports
  items: [${appPorts.join(', ')}]
- list: app_binaries
  items: [nginx, node, java, python3, gunicorn]
- macro: app_parent
  condition: proc.pname in (app_binaries)

- rule: Write below etc in container
  desc: bench extra
  condition: container and open_write and fd.name pmatch (/etc)
  output: write below /etc (file=%fd.name command=%proc.cmdline container_id=%container.id)
  priority: WARNING
- rule: Unexpected outbound port from container
  desc: bench extra
  condition: outbound and container and not fd.dport in (app_ports) and not fd.dip startswith 127.
  output: outbound to %fd.name (command=%proc.cmdline image=%container.image.repository)
  priority: NOTICE
- rule: Shell spawned by application
  desc: bench extra
  condition: spawned_process and shell_procs and app_parent
  output: shell from %proc.pname (command=%proc.cmdline container_id=%container.id)
  priority: WARNING
- rule: Crypto miner arguments
  desc: bench extra
  condition: spawned_process and (proc.cmdline contains "stratum+tcp" or proc.cmdline icontains xmrig or proc.args contains "--donate-level")
  output: miner (command=%proc.cmdline)
  priority: CRITICAL
- rule: Execution from tmp
  desc: bench extra
  condition: spawned_process and (proc.exepath glob "/tmp/*" or proc.exepath glob "/dev/shm/*" or proc.exepath pmatch (/var/tmp))
  output: exec from tmp (exe=%proc.exepath container_id=%container.id)
  priority: ERROR
- rule: Set user to root in container
  desc: bench extra
  condition: evt.type = setuid and container and evt.arg = 0 and not proc.name in (sudo, su)
  output: setuid 0 (command=%proc.cmdline)
  priority: NOTICE
- rule: Non-root listening on privileged port
  desc: bench extra
  condition: evt.type = listen and fd.sport < 1024 and user.uid != 0
  output: listen %fd.name by uid %user.uid
  priority: NOTICE
`;
}
