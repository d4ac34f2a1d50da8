SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE ((`source`.`status` LIKE BINARY ? ESCAPE '!') OR (LOWER(`source`.`status`) LIKE LOWER(?) ESCAPE '!') OR (`source`.`status` LIKE BINARY ? ESCAPE '!') OR (`source`.`status` LIKE BINARY ? ESCAPE '!'))
-- args: ["%!%%","%!_%","*%","%!!"]
