// The pattern library.
export { DCOM_LATERAL_MOVEMENT, DCOM_DEFAULT_SETTINGS } from './dcom-lateral-movement';
