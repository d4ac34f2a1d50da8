SELECT `source`.`name` AS `name` FROM `accounts` AS `source` WHERE ((LOWER(`source`.`name`) LIKE LOWER(?) ESCAPE '!') OR (`source`.`name` LIKE BINARY ? ESCAPE '!')) ORDER BY `source`.`name` ASC
-- args: ["c%","%o"]
