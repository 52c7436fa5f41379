import { BEST_PRACTICES, CIS_DOCKER, DOCKLE, defineMeta } from '../rule.js';
import { toolRule } from './tool-rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-002',
  title: 'SSH server or other remote-access daemon installed',
  severity: 'HIGH',
  rationale:
    'An SSH, telnet, VNC or RDP server in an image is a second way in that bypasses the orchestrator\'s access control and audit, and brings its own keys, accounts and vulnerabilities; `docker exec` and `kubectl exec` already give operators a shell.',
  remediation: 'Remove the daemon package (and its host keys) from the final image; use `docker exec` / `kubectl exec` or an ephemeral debug container instead.',
  references: [CIS_DOCKER, DOCKLE, BEST_PRACTICES],
  aliases: ['CIS-DI-0003', 'CIS-DOCKER-4.3'],
});

export const rule = toolRule(meta, ['remote-access'], (_tool, what) => `Remote-access daemon in the image: ${what}`);
