using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Feedstand.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FetchStateTtl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ttl",
                table: "fetch_states",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ttl",
                table: "fetch_states");
        }
    }
}
