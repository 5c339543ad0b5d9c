// The accounts processes run as, with the fields Defender reports for them.

export interface Account {
  domain: string;
  name: string;
  sid: string;
  upn: string;
  objectId: string;
  logonId: number;
  integrity: 'System' | 'High' | 'Medium' | 'Low';
  elevation: 'TokenElevationTypeDefault' | 'TokenElevationTypeFull' | 'TokenElevationTypeLimited';
}

export const SYSTEM: Account = { domain: 'nt authority', name: 'system', sid: 'S-1-5-18', upn: '', objectId: '', logonId: 999, integrity: 'System', elevation: 'TokenElevationTypeDefault' };
export const LOCAL_SERVICE: Account = { domain: 'nt authority', name: 'local service', sid: 'S-1-5-19', upn: '', objectId: '', logonId: 997, integrity: 'System', elevation: 'TokenElevationTypeDefault' };
export const NETWORK_SERVICE: Account = { domain: 'nt authority', name: 'network service', sid: 'S-1-5-20', upn: '', objectId: '', logonId: 996, integrity: 'System', elevation: 'TokenElevationTypeDefault' };

/** A domain user of the simulated fleet. */
export function userAccount(name: string, rid: number, logonId: number, objectId: string, elevated = false): Account {
  return {
    domain: 'contoso', name, sid: `S-1-5-21-1874808502-2282282112-3464708742-${rid}`, upn: `${name}@contoso.com`,
    objectId, logonId, integrity: elevated ? 'High' : 'Medium', elevation: elevated ? 'TokenElevationTypeFull' : 'TokenElevationTypeLimited',
  };
}
