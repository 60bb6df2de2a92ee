import { Inject, Injectable } from '@nestjs/common';
import { CONNECTOR_KINDS, ConnectorKind } from './connector-kind';

/** The connector kinds this build knows; instances name one of them. */
@Injectable()
export class ConnectorKindRegistry {
  private readonly byName: Map<string, ConnectorKind>;

  constructor(@Inject(CONNECTOR_KINDS) kinds: ConnectorKind[]) {
    this.byName = new Map(kinds.map((k) => [k.kind, k]));
  }

  get(kind: string): ConnectorKind | undefined {
    return this.byName.get(kind);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}
