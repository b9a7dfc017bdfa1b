import { Construct } from 'constructs';
import { PostgresqlFlexibleServer } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server';
import { PostgresqlFlexibleServerDatabase } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-database';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { Password } from '@cdktf/provider-random/lib/password';
import { Fn, TerraformStack } from '../../lib/core/facade/tf';
import { PrivateLink } from './private-link';
import { propError } from '../props';

export interface PostgresServerProps {
  /** Server name, 3–63 lower-case letters, digits and hyphens (global: `<name>.postgres.database.azure.com`). */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** PostgreSQL major version. */
  readonly version: '15' | '16' | '17';
  /** e.g. GP_Standard_D2ds_v5 */
  readonly sku: string;
  readonly storageGb: number;
  /** Databases to create, one per consuming app. */
  readonly databases: ReadonlyArray<string>;
  /** A zone-redundant standby with automatic failover. @default false */
  readonly highAvailability?: boolean;
  /** @default 14 */
  readonly backupRetentionDays?: number;
  readonly privateEndpointSubnetId: string;
  readonly vnetId: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

const NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
/** Login of the server's administrator (Azure reserves azure_superuser, admin, root, postgres...). */
export const POSTGRES_ADMIN_LOGIN = 'parity_admin';

/** The stack's random provider, declared once whichever construct needs it first. */
function randomProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild('random')) new RandomProvider(stack, 'random');
}

/**
 * Azure Database for PostgreSQL flexible server on a private endpoint: public network access off, TLS
 * required (the server default `require_secure_transport`), the administrator password generated in
 * the stack (sensitive state, never typed), geo-local backups kept `backupRetentionDays`. Connection
 * URLs are built from the server's own FQDN, so a consumer never holds a host typed twice.
 */
export class PostgresServer extends Construct {
  readonly server: PostgresqlFlexibleServer;
  private readonly password: Password;
  private readonly databases = new Map<string, PostgresqlFlexibleServerDatabase>();

  constructor(scope: Construct, id: string, props: PostgresServerProps) {
    super(scope, id);
    if (!NAME.test(props.name)) throw propError(this, 'name', props.name, '3 to 63 lower-case letters, digits and hyphens');
    if (props.databases.length === 0) throw propError(this, 'databases', props.databases, 'at least one database');
    const tags = props.tags ?? {};
    randomProvider(this);
    // Letters and digits only: the password goes into URLs as is.
    this.password = new Password(this, 'admin-password', { length: 40, special: false });
    this.server = new PostgresqlFlexibleServer(this, 'server', {
      name: props.name,
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      version: props.version,
      skuName: props.sku,
      storageMb: props.storageGb * 1024,
      autoGrowEnabled: true,
      backupRetentionDays: props.backupRetentionDays ?? 14,
      publicNetworkAccessEnabled: false,
      administratorLogin: POSTGRES_ADMIN_LOGIN,
      administratorPassword: this.password.result,
      authentication: { passwordAuthEnabled: true, activeDirectoryAuthEnabled: false },
      zone: '1',
      highAvailability: props.highAvailability ? { mode: 'ZoneRedundant', standbyAvailabilityZone: '2' } : undefined,
      // After a failover Azure swaps the zones; the plan must not try to move them back.
      lifecycle: { ignoreChanges: ['zone', 'high_availability[0].standby_availability_zone'] },
      tags,
    });
    for (const db of props.databases) {
      this.databases.set(
        db,
        new PostgresqlFlexibleServerDatabase(this, `database-${db}`, {
          name: db,
          serverId: this.server.id,
          charset: 'UTF8',
          collation: 'en_US.utf8',
        }),
      );
    }
    new PrivateLink(this, 'private-link', {
      name: props.name,
      resourceId: this.server.id,
      subresource: 'postgresqlServer',
      dnsZone: 'privatelink.postgres.database.azure.com',
      location: props.location,
      resourceGroupName: props.resourceGroupName,
      subnetId: props.privateEndpointSubnetId,
      vnetId: props.vnetId,
      tags,
    });
  }

  /** `postgresql://…@<fqdn>:5432/<database>?sslmode=require`, for a database this server creates. */
  connectionUrl(database: string): string {
    const db = this.databases.get(database);
    if (!db) throw propError(this, 'databases', [...this.databases.keys()], `to include "${database}", which a consumer asked a URL for`);
    // A format() expression: the URL exists only in Terraform's sensitive state and the Key Vault.
    return Fn.format('postgresql://%s:%s@%s:5432/%s?sslmode=require', [POSTGRES_ADMIN_LOGIN, this.password.result, this.server.fqdn, db.name]);
  }
}
