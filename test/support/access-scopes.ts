/** Every scope an access-file run asks for (src/scopes.ts): what the tests and the bench grant. */
export const ACCESS_SCOPES = [
  'read:roles',
  'read:role_members',
  'create:role_members',
  'delete:role_members',
  'read:organizations',
  'read:organization_members',
  'create:organization_members',
  'delete:organization_members',
  'read:organization_member_roles',
  'create:organization_member_roles',
  'delete:organization_member_roles',
];
