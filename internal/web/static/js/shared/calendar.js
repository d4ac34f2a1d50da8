// English month and day names for date labels.

export const MONTHS = Object.freeze(["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"]);
export const DAYS = Object.freeze(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]);
