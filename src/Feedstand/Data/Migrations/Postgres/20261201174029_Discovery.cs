using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Feedstand.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Discovery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "feed_similar",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    other_id = table.Column<long>(type: "bigint", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feed_similar", x => new { x.feed_id, x.other_id });
                    table.ForeignKey(
                        name: "FK_feed_similar_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_feed_similar_feeds_other_id",
                        column: x => x.other_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reader_subscribers",
                columns: table => new
                {
                    path = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    reader = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    feed_id = table.Column<long>(type: "bigint", nullable: true),
                    subscribers = table.Column<int>(type: "integer", nullable: false),
                    seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reader_subscribers", x => new { x.path, x.reader });
                    table.ForeignKey(
                        name: "FK_reader_subscribers_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subscription_counts",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    day = table.Column<int>(type: "integer", nullable: false),
                    reader = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subscriptions = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscription_counts", x => new { x.feed_id, x.day, x.reader });
                    table.ForeignKey(
                        name: "FK_subscription_counts_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "subscription_day_keys",
                columns: table => new
                {
                    day = table.Column<int>(type: "integer", nullable: false),
                    key = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscription_day_keys", x => x.day);
                });

            migrationBuilder.CreateTable(
                name: "subscription_visitors",
                columns: table => new
                {
                    day = table.Column<int>(type: "integer", nullable: false),
                    hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscription_visitors", x => new { x.day, x.hash });
                });

            migrationBuilder.CreateIndex(
                name: "IX_feed_similar_other_id",
                table: "feed_similar",
                column: "other_id");

            migrationBuilder.CreateIndex(
                name: "IX_reader_subscribers_feed_id",
                table: "reader_subscribers",
                column: "feed_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "feed_similar");

            migrationBuilder.DropTable(
                name: "reader_subscribers");

            migrationBuilder.DropTable(
                name: "subscription_counts");

            migrationBuilder.DropTable(
                name: "subscription_day_keys");

            migrationBuilder.DropTable(
                name: "subscription_visitors");
        }
    }
}
