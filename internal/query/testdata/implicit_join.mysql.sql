SELECT `accounts__via__account_id`.`name` AS `name`, SUM(`source`.`payment`) AS `sum` FROM `invoices` AS `source` LEFT JOIN `accounts` AS `accounts__via__account_id` ON `source`.`account_id` = `accounts__via__account_id`.`id` GROUP BY 1 ORDER BY 1 ASC
-- args: []
