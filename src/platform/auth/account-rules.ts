/** What a user name and a password must be, wherever an account is made (API, start-up variables, command). */
export const USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/;
export const USERNAME_RULE = '3-64 of a-z 0-9 . _ -';
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
