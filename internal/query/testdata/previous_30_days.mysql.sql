SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (`source`.`date_received` >= ? AND `source`.`date_received` < ?)
-- args: ["2024-05-16","2024-06-15"]
