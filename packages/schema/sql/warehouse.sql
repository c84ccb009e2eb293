-- The warehouse: three overlapping star schemas (sales, purchases, payments) in `public`.
--
-- Safe to apply any number of times: every statement creates its object only if it is absent,
-- and all keys and constraints are declared inside CREATE TABLE, so a second run changes
-- nothing. Dimensions come first because the facts reference them.

-- Dimensions

CREATE TABLE IF NOT EXISTS public.dim_date (
    date_id date NOT NULL,
    year integer NOT NULL,
    month integer NOT NULL,
    day integer NOT NULL,
    day_of_week integer NOT NULL,
    day_name varchar NOT NULL,
    month_name varchar NOT NULL,
    quarter integer NOT NULL,

    CONSTRAINT dim_date_pkey PRIMARY KEY (date_id)
);

CREATE TABLE IF NOT EXISTS public.dim_staff (
    staff_id integer NOT NULL,
    first_name varchar NOT NULL,
    last_name varchar NOT NULL,
    department_name varchar NOT NULL,
    location varchar NOT NULL,
    email_address varchar NOT NULL,

    CONSTRAINT dim_staff_pkey PRIMARY KEY (staff_id)
);

CREATE TABLE IF NOT EXISTS public.dim_location (
    location_id integer NOT NULL,
    address_line_1 varchar NOT NULL,
    address_line_2 varchar,
    district varchar,
    city varchar NOT NULL,
    postal_code varchar NOT NULL,
    country varchar NOT NULL,
    phone varchar NOT NULL,

    CONSTRAINT dim_location_pkey PRIMARY KEY (location_id)
);

CREATE TABLE IF NOT EXISTS public.dim_currency (
    currency_id integer NOT NULL,
    currency_code varchar NOT NULL,
    currency_name varchar NOT NULL,

    CONSTRAINT dim_currency_pkey PRIMARY KEY (currency_id)
);

CREATE TABLE IF NOT EXISTS public.dim_design (
    design_id integer NOT NULL,
    design_name varchar NOT NULL,
    file_location varchar NOT NULL,
    file_name varchar NOT NULL,

    CONSTRAINT dim_design_pkey PRIMARY KEY (design_id)
);

CREATE TABLE IF NOT EXISTS public.dim_counterparty (
    counterparty_id integer NOT NULL,
    counterparty_legal_name varchar NOT NULL,
    counterparty_legal_address_line_1 varchar NOT NULL,
    counterparty_legal_address_line_2 varchar,
    counterparty_legal_district varchar,
    counterparty_legal_city varchar NOT NULL,
    counterparty_legal_postal_code varchar NOT NULL,
    counterparty_legal_country varchar NOT NULL,
    counterparty_legal_phone_number varchar NOT NULL,

    CONSTRAINT dim_counterparty_pkey PRIMARY KEY (counterparty_id)
);

CREATE TABLE IF NOT EXISTS public.dim_transaction (
    transaction_id integer NOT NULL,
    transaction_type varchar NOT NULL,
    sales_order_id integer,
    purchase_order_id integer,

    CONSTRAINT dim_transaction_pkey PRIMARY KEY (transaction_id)
);

CREATE TABLE IF NOT EXISTS public.dim_payment_type (
    payment_type_id integer NOT NULL,
    payment_type_name varchar NOT NULL,

    CONSTRAINT dim_payment_type_pkey PRIMARY KEY (payment_type_id)
);

-- Facts: one row per observed version of a source row, never updated in place.

CREATE TABLE IF NOT EXISTS public.fact_sales_order (
    sales_record_id serial NOT NULL,
    sales_order_id integer NOT NULL,
    created_date date NOT NULL,
    created_time time NOT NULL,
    last_updated_date date NOT NULL,
    last_updated_time time NOT NULL,
    sales_staff_id integer NOT NULL,
    counterparty_id integer NOT NULL,
    units_sold integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    currency_id integer NOT NULL,
    design_id integer NOT NULL,
    agreed_payment_date date NOT NULL,
    agreed_delivery_date date NOT NULL,
    agreed_delivery_location_id integer NOT NULL,

    CONSTRAINT fact_sales_order_pkey PRIMARY KEY (sales_record_id),
    CONSTRAINT fact_sales_order_created_date_fkey
        FOREIGN KEY (created_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_sales_order_last_updated_date_fkey
        FOREIGN KEY (last_updated_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_sales_order_sales_staff_id_fkey
        FOREIGN KEY (sales_staff_id) REFERENCES public.dim_staff (staff_id),
    CONSTRAINT fact_sales_order_counterparty_id_fkey
        FOREIGN KEY (counterparty_id) REFERENCES public.dim_counterparty (counterparty_id),
    CONSTRAINT fact_sales_order_currency_id_fkey
        FOREIGN KEY (currency_id) REFERENCES public.dim_currency (currency_id),
    CONSTRAINT fact_sales_order_design_id_fkey
        FOREIGN KEY (design_id) REFERENCES public.dim_design (design_id),
    CONSTRAINT fact_sales_order_agreed_payment_date_fkey
        FOREIGN KEY (agreed_payment_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_sales_order_agreed_delivery_date_fkey
        FOREIGN KEY (agreed_delivery_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_sales_order_agreed_delivery_location_id_fkey
        FOREIGN KEY (agreed_delivery_location_id) REFERENCES public.dim_location (location_id)
);

CREATE INDEX IF NOT EXISTS fact_sales_order_sales_order_id_idx
    ON public.fact_sales_order (sales_order_id);

CREATE TABLE IF NOT EXISTS public.fact_purchase_order (
    purchase_record_id serial NOT NULL,
    purchase_order_id integer NOT NULL,
    created_date date NOT NULL,
    created_time time NOT NULL,
    last_updated_date date NOT NULL,
    last_updated_time time NOT NULL,
    staff_id integer NOT NULL,
    counterparty_id integer NOT NULL,
    item_code varchar NOT NULL,
    item_quantity integer NOT NULL,
    item_unit_price numeric NOT NULL,
    currency_id integer NOT NULL,
    agreed_delivery_date date NOT NULL,
    agreed_payment_date date NOT NULL,
    agreed_delivery_location_id integer NOT NULL,

    CONSTRAINT fact_purchase_order_pkey PRIMARY KEY (purchase_record_id),
    CONSTRAINT fact_purchase_order_created_date_fkey
        FOREIGN KEY (created_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_purchase_order_last_updated_date_fkey
        FOREIGN KEY (last_updated_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_purchase_order_staff_id_fkey
        FOREIGN KEY (staff_id) REFERENCES public.dim_staff (staff_id),
    CONSTRAINT fact_purchase_order_counterparty_id_fkey
        FOREIGN KEY (counterparty_id) REFERENCES public.dim_counterparty (counterparty_id),
    CONSTRAINT fact_purchase_order_currency_id_fkey
        FOREIGN KEY (currency_id) REFERENCES public.dim_currency (currency_id),
    CONSTRAINT fact_purchase_order_agreed_delivery_date_fkey
        FOREIGN KEY (agreed_delivery_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_purchase_order_agreed_payment_date_fkey
        FOREIGN KEY (agreed_payment_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_purchase_order_agreed_delivery_location_id_fkey
        FOREIGN KEY (agreed_delivery_location_id) REFERENCES public.dim_location (location_id)
);

CREATE INDEX IF NOT EXISTS fact_purchase_order_purchase_order_id_idx
    ON public.fact_purchase_order (purchase_order_id);

CREATE TABLE IF NOT EXISTS public.fact_payment (
    payment_record_id serial NOT NULL,
    payment_id integer NOT NULL,
    created_date date NOT NULL,
    created_time time NOT NULL,
    last_updated_date date NOT NULL,
    last_updated_time time NOT NULL,
    transaction_id integer NOT NULL,
    counterparty_id integer NOT NULL,
    payment_amount numeric NOT NULL,
    currency_id integer NOT NULL,
    payment_type_id integer NOT NULL,
    paid boolean NOT NULL,
    payment_date date NOT NULL,

    CONSTRAINT fact_payment_pkey PRIMARY KEY (payment_record_id),
    CONSTRAINT fact_payment_created_date_fkey
        FOREIGN KEY (created_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_payment_last_updated_date_fkey
        FOREIGN KEY (last_updated_date) REFERENCES public.dim_date (date_id),
    CONSTRAINT fact_payment_transaction_id_fkey
        FOREIGN KEY (transaction_id) REFERENCES public.dim_transaction (transaction_id),
    CONSTRAINT fact_payment_counterparty_id_fkey
        FOREIGN KEY (counterparty_id) REFERENCES public.dim_counterparty (counterparty_id),
    CONSTRAINT fact_payment_currency_id_fkey
        FOREIGN KEY (currency_id) REFERENCES public.dim_currency (currency_id),
    CONSTRAINT fact_payment_payment_type_id_fkey
        FOREIGN KEY (payment_type_id) REFERENCES public.dim_payment_type (payment_type_id),
    CONSTRAINT fact_payment_payment_date_fkey
        FOREIGN KEY (payment_date) REFERENCES public.dim_date (date_id)
);

CREATE INDEX IF NOT EXISTS fact_payment_payment_id_idx
    ON public.fact_payment (payment_id);
