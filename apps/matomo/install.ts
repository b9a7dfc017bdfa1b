import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../lib/core/paths';
import { MatomoConfig } from '../../lib/core/model/apps/matomo';

/*
 * How Matomo is installed and configured without its web installer (facts in vendor/matomo/README.md):
 * Digitalist's image keeps Matomo's code in /usr/src/matomo; each pod copies it into a writable tree and
 * runs ExtraTools' `matomo:install --force --do-not-drop-db` there, which creates the tables and the first
 * superuser on an empty database and otherwise only writes config.ini.php (database, salt, settings) for
 * this pod. The install file is this module's JSON; its two secrets (the salt, the OIDC client secret) are
 * put in at start from Vault's Secrets, so neither is in Git or in the pod spec.
 */

/** Where Matomo's code is shipped in the image, and where the serving pods run it from. */
export const IMAGE_TREE = '/usr/src/matomo';
export const WEB_ROOT = '/var/www/html';
/** php-fpm's port (the image's), reached only inside the pod. */
export const FPM_PORT = 9000;
/** The image's www-data (the chart's `matomo.runAsUser`). */
export const MATOMO_UID = 82;
/** Table prefix, as Digitalist's chart sets it. */
export const TABLE_PREFIX = 'matomo_';

interface InstallFile {
  readonly PluginsInstalled: string[];
  readonly Site: { readonly name: string; readonly url: string };
  readonly Config: Record<string, Record<string, string | number>>;
}

/** The chart's install file (vendor/matomo/install.json): the plugins a fresh install activates and Digitalist's settings. */
export function vendoredInstallFile(): InstallFile {
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'vendor', 'matomo', 'install.json'), 'utf8')) as InstallFile;
}

/**
 * The install file of this Matomo: the vendored one with its first site, its own host as the only trusted
 * one, CORS for the site measured, no framing, no outgoing calls; LoginOIDC activated and configured where
 * the config asks for OIDC (settings in `[LoginOIDC]`, which its system settings read before the database).
 */
export function installFile(cfg: MatomoConfig): InstallFile {
  const vendored = vendoredInstallFile();
  const general: Record<string, string | number> = {
    ...vendored.Config.General,
    noreply_email_address: `noreply@${cfg.host}`,
    // Only its own host: Matomo then refuses requests whose Host header would make it build links elsewhere.
    enable_trusted_host_check: 1,
    'trusted_hosts[]': cfg.host,
    'cors_domains[]': new URL(cfg.site.url).origin,
    enable_framed_pages: 0,
    enable_framed_settings: 0,
  };
  const oidc = cfg.oidc;
  return {
    PluginsInstalled: [...vendored.PluginsInstalled, ...(oidc ? ['LoginOIDC'] : [])],
    Site: { name: cfg.site.name, url: cfg.site.url },
    Config: {
      ...vendored.Config,
      General: general,
      ...(oidc
        ? {
            LoginOIDC: {
              authenticationName: oidc.buttonName,
              authorizeUrl: oidc.authorizeUrl,
              tokenUrl: oidc.tokenUrl,
              userinfoUrl: oidc.userinfoUrl,
              ...(oidc.endSessionUrl ? { endSessionUrl: oidc.endSessionUrl } : {}),
              userinfoId: oidc.userinfoId,
              clientId: oidc.clientId,
              scope: oidc.scope,
              allowSignup: oidc.signupDomain ? 1 : 0,
              ...(oidc.signupDomain ? { allowedSignupDomains: oidc.signupDomain } : {}),
              // The local superuser stays a password login: the way in when the provider is down.
              disableSuperuser: 1,
            },
          }
        : {}),
    },
  };
}

/** Environment variables of the setup: the install file, and which Secret values go into it at start. */
export const SETUP_ENV = { installFile: 'MATOMO_INSTALL_JSON', salt: 'MATOMO_SALT', oidcClientSecret: 'MATOMO_OIDC_CLIENT_SECRET' } as const;

/**
 * The shell that copies Matomo into `root` and installs or configures it there (see the module comment).
 * The secrets go into the install file through PHP's environment, never on a command line.
 */
export function setupScript(root: string): string {
  const fill =
    `$c = json_decode(getenv("${SETUP_ENV.installFile}"), true); ` +
    `$c["Config"]["General"]["salt"] = getenv("${SETUP_ENV.salt}"); ` +
    `$s = getenv("${SETUP_ENV.oidcClientSecret}"); if ($s !== false) { $c["Config"]["LoginOIDC"]["clientSecret"] = $s; } ` +
    `file_put_contents("/tmp/install.json", json_encode($c));`;
  return [
    'set -eu',
    `rsync -crlOt --no-owner --no-group --no-perms ${IMAGE_TREE}/ ${root}/`,
    `cd ${root}`,
    `php -r '${fill}'`,
    './console plugin:activate ExtraTools',
    './console matomo:install --install-file=/tmp/install.json --force --do-not-drop-db',
    'rm -f /tmp/install.json',
  ].join('\n');
}
