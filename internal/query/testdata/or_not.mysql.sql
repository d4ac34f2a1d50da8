SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE ((NOT (`source`.`status` = ?)) OR (`source`.`payment` <= ?))
-- args: ["Paid",10]
