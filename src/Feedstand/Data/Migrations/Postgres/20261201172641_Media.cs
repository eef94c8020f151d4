using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Feedstand.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Media : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "app_secrets",
                columns: table => new
                {
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_app_secrets", x => x.name);
                });

            migrationBuilder.CreateTable(
                name: "feed_icons",
                columns: table => new
                {
                    feed_id = table.Column<long>(type: "bigint", nullable: false),
                    wanted_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    source_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    body = table.Column<byte[]>(type: "bytea", nullable: true),
                    e_tag = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    fetched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feed_icons", x => x.feed_id);
                    table.ForeignKey(
                        name: "FK_feed_icons_feeds_feed_id",
                        column: x => x.feed_id,
                        principalTable: "feeds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "media_cache",
                columns: table => new
                {
                    url_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    url = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: false),
                    content_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    body = table.Column<byte[]>(type: "bytea", nullable: false),
                    bytes = table.Column<long>(type: "bigint", nullable: false),
                    e_tag = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    fetched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_media_cache", x => x.url_hash);
                });

            migrationBuilder.CreateIndex(
                name: "IX_feed_icons_fetched_at",
                table: "feed_icons",
                column: "fetched_at");

            migrationBuilder.CreateIndex(
                name: "IX_media_cache_fetched_at",
                table: "media_cache",
                column: "fetched_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "app_secrets");

            migrationBuilder.DropTable(
                name: "feed_icons");

            migrationBuilder.DropTable(
                name: "media_cache");
        }
    }
}
