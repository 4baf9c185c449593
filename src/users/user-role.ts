export enum UserRole {
  User = 'user',
  Admin = 'admin',
}
